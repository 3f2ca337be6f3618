// What a command's failure means for the user: called inside a catch handler, it names
// the failure in one message (no stack trace) and returns the documented exit code — 2
// for bad input (a scenario at file:line:col, a usage or option error with the help
// hint, an output path, a run limit, shards that do not merge), 3 for an internal error,
// or the code an MPI rank's failure calls for. main() prints it; under MPI, every rank
// computes it and only the first failing rank prints it (cmd_run_mpi.cc).
#pragma once

#include <string>

namespace faultline::cli {

// Rethrows the exception being handled; returns the exit code and sets `message` (with
// its trailing newline).
int describe_failure(const std::string& command, std::string& message);

}  // namespace faultline::cli
