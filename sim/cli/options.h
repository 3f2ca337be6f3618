// Parsing a subcommand's command line: its named options plus any number of positional
// file arguments collected under `positional` (e.g. "scenario"). Shared by run, check and
// report so every subcommand rejects unknown options the same way.
#pragma once

#include <boost/program_options.hpp>

#include "sim/cli/commands.h"

namespace faultline::cli {

inline boost::program_options::variables_map parse_options(
    const Args& args, const boost::program_options::options_description& named,
    const char* positional) {
  namespace po = boost::program_options;
  po::options_description hidden;
  hidden.add_options()(positional, po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(named).add(hidden);
  po::positional_options_description pos;
  pos.add(positional, -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

}  // namespace faultline::cli
