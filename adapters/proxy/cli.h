// The command-line entry points of the live adapters, dispatched by sim/cli/main.cc.
// Each takes its arguments after the subcommand name and returns the exit code (0 ok,
// 2 usage or input error, 130/143 after SIGINT/SIGTERM).
#pragma once

#include <string>
#include <vector>

namespace faultline::proxy {

int proxy_command(const std::vector<std::string>& args);   // faultline proxy
int inject_command(const std::vector<std::string>& args);  // faultline inject (adapters/inject)

}  // namespace faultline::proxy
