// The command-line entry points of the live adapters, dispatched by sim/cli/main.cc.
// Each takes its arguments after the subcommand name and returns the exit code (0 ok,
// 2 usage or input error, 130/143 after SIGINT/SIGTERM).
#pragma once

#include <string>
#include <vector>

namespace boost::program_options {
class options_description;
}

namespace faultline::proxy {

int proxy_command(const std::vector<std::string>& args);   // faultline proxy
int inject_command(const std::vector<std::string>& args);  // faultline inject (adapters/inject)
// Their options: the one source of --help, the man page and the completions.
boost::program_options::options_description proxy_options();
boost::program_options::options_description inject_options();

}  // namespace faultline::proxy
