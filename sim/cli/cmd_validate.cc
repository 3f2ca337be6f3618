// `faultline validate` checks scenario files without running them — through the same
// pipeline validation `run` and `check` use (sim/pipeline/experiment.h), so the three
// accept and refuse the same files; `faultline list` prints the catalogue of faults,
// mitigations and metrics from the registries.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/pipeline/experiment.h"
#include "sim/plugins/listing.h"

namespace faultline::cli {

int validate_command(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "faultline validate SCENARIO...\n  parse and check each file; print 'ok' or "
                 "file:line:col errors. Exit 0 when all are valid, 2 otherwise.\n";
    return args.empty() ? kExitBadInput : kExitOk;
  }
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
    std::cout << "faultline list faults|mitigations [--format text|markdown] "
                 "[--table parameters|effects]\nfaultline list metrics [--format "
                 "text|markdown]\n  markdown: the tables in docs/ (scripts/update-doc-tables.sh)\n";
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
