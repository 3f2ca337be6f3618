// The bytes a SimGrid child process sends back to its parent: a status, then either the
// run's output or the error it threw. Both ends are the same binary (fork), so plain
// memory images of trivially copyable parts are exact: doubles come back bit for bit and
// outputs stay byte-identical to an in-process run.
#pragma once

#include <string>

#include "sim/engines/simgrid/engine.h"

namespace faultline::simgrid_engine {

enum class WireStatus : std::uint8_t { kOk = 0, kScenarioError = 1, kRunLimit = 2, kInternal = 3 };

std::string encode_output(const SimgridRunOutput& out);
std::string encode_error(WireStatus status, const std::string& what, const std::string& file = {},
                         SourceLoc loc = {});
// Throws the error it carries, or std::runtime_error when the bytes are truncated.
SimgridRunOutput decode(const std::string& bytes, const Scenario& scenario);

}  // namespace faultline::simgrid_engine
