// `faultline validate` checks scenario files without running them — through the same
// pipeline validation `run` and `check` use (sim/pipeline/experiment.h), so the three
// accept and refuse the same files; `faultline list` prints the catalogue of faults,
// mitigations and metrics from the registries.
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/pipeline/experiment.h"
#include "sim/plugins/listing.h"

namespace faultline::cli {

// validate and list take no options but --help (list reads its own words:
// catalogue_listing); these describe them for --help, the man page and the completions.
boost::program_options::options_description validate_options() {
  boost::program_options::options_description opts("faultline validate SCENARIO...");
  opts.add_options()("help,h", "show this help");
  return opts;
}

boost::program_options::options_description list_options() {
  namespace po = boost::program_options;
  po::options_description opts("faultline list faults|mitigations|metrics [options]");
  opts.add_options()("help,h", "show this help")(
      "format", po::value<std::string>()->default_value("text"),
      "text, or markdown: the tables in docs/ (scripts/update-doc-tables.sh)")(
      "table", po::value<std::string>()->default_value("parameters"),
      "faults and mitigations in markdown: parameters or effects");
  return opts;
}

int validate_command(const Args& args) {
  if (args.empty()) throw UsageError("missing the scenario file(s) to validate");
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << validate_options()
              << "\nParses and checks each file; prints 'ok' or file:line:col errors. Exit 0 "
                 "when all are valid, 2 otherwise.\n";
    return kExitOk;
  }
  for (const auto& a : args)
    if (a.size() > 1 && a[0] == '-')
      throw UsageError("unknown option '" + a + "'; validate takes only scenario files");
  int status = kExitOk;
  for (const auto& file : args) {
    try {
      const Experiment e = Experiment::from_file(file);
      const Scenario& s = e.scenario();
      std::cout << file << ": ok (" << s.name << ", " << s.strategies.size() << " strategies, "
                << s.faults.size() << " faults";
      if (s.sweep.enabled()) std::cout << ", " << e.points().size() << " sweep points";
      std::cout << ")\n";
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

int list_command(const Args& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << list_options();
    return kExitOk;
  }
  try {
    std::cout << catalogue_listing(args);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return kExitOk;
}

}  // namespace faultline::cli
