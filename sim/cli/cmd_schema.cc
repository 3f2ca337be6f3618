// `faultline schema [-o FILE]`: the JSON Schema of the scenario format, generated from the
// plug-in registries (sim/plugins/schema.h), for editors' YAML language servers.
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/output/atomic_file.h"
#include "sim/plugins/schema.h"

namespace po = boost::program_options;

namespace faultline::cli {

po::options_description schema_options() {
  po::options_description opts("faultline schema [options]");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                 "write the schema to FILE (default: stdout)");
  return opts;
}

int schema_command(const Args& args) {
  const po::options_description opts = schema_options();
  const po::variables_map vm = parse_options(args, opts, "unexpected");
  if (vm.count("help")) {
    std::cout << opts
              << "\nPrints the JSON Schema (draft 2020-12) of scenario files. Put\n"
                 "  # yaml-language-server: $schema=PATH/scenario.schema.json\n"
                 "at the top of a scenario for completion and help in editors (docs/editors.md).\n";
    return kExitOk;
  }
  if (vm.count("unexpected")) throw UsageError("schema takes no file argument (use -o FILE)");
  const std::string text = scenario_schema_text();
  if (vm.count("output")) {
    write_file_atomically(vm["output"].as<std::string>(), text);
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace faultline::cli
