// Ctrl-C (SIGINT) and SIGTERM during an experiment: the first one sets a flag the
// pipeline checks between runs, so the command stops within a run, writes nothing and
// exits 130; a second one ends the process at once. Process-wide by nature (a signal
// handler), so it lives in the command-line tool, never in the libraries.
#pragma once

#include <atomic>

namespace faultline::cli {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& interrupt_flag();

inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

}  // namespace faultline::cli
