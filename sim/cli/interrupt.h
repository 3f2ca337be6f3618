// Ctrl-C (SIGINT) and SIGTERM during an experiment: the first one sets a flag the
// pipeline checks between runs, so the command stops within a run, writes nothing, says
// how far it got and how to resume, and exits 128 + the signal (130 or 143); a second one
// ends the process at once — except while the outputs are being written (a
// DeferInterrupts scope), which is short and always finishes, so a set of outputs is
// either the previous one or the new one, never a mix or a temporary file. Process-wide
// by nature (a signal handler), so it lives in the command-line tool, never the libraries.
#pragma once

#include <atomic>

namespace faultline::cli {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& interrupt_flag();

// 128 + the first signal received (130 for SIGINT, 143 for SIGTERM); 0 when none.
int interrupt_exit_code();
// "SIGINT" or "SIGTERM".
const char* interrupt_signal_name();

// While alive, SIGINT and SIGTERM are held (in this thread) and a second signal no longer
// ends the process: the writes in the scope complete; the flag is still set.
class DeferInterrupts {
 public:
  DeferInterrupts();
  ~DeferInterrupts();
  DeferInterrupts(const DeferInterrupts&) = delete;
  DeferInterrupts& operator=(const DeferInterrupts&) = delete;
};

inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

}  // namespace faultline::cli
