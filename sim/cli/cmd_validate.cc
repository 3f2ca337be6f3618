// `faultline validate` checks scenario files without running them — through the same
// pipeline validation `run` and `check` use (sim/pipeline/experiment.h), so the three
// accept and refuse the same files; `faultline list` prints the catalogue of faults,
// mitigations and metrics from the registries.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/pipeline/experiment.h"

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

namespace {
void print_plugins(const PluginRegistry& registry) {
  for (const Plugin& p : registry.plugins()) {
    std::cout << p.info.name << " — " << p.info.summary << "\n";
    for (const ParamSpec& spec : p.info.params) {
      std::cout << "    " << spec.name << " (" << to_string(spec.kind);
      if (!spec.choices.empty()) std::cout << ": " << spec.choices;
      std::cout << ", "
                << (spec.default_value.empty() ? std::string("required")
                                               : "default " + std::string(spec.default_value))
                << ") " << spec.help << "\n";
    }
  }
}
}  // namespace

int list_command(const Args& args) {
  const std::string what = args.empty() ? "" : args[0];
  if (what == "faults")
    print_plugins(fault_registry());
  else if (what == "mitigations")
    print_plugins(mitigation_registry());
  else if (what == "metrics")
    for (const auto& m : kMetrics)
      std::cout << m.name << " [" << m.unit << "] " << m.definition << "\n";
  else if (what == "--help" || what == "-h")
    std::cout << "faultline list faults|mitigations|metrics\n";
  else
    throw UsageError(what.empty()
                         ? "say what to list: faults, mitigations or metrics"
                         : "cannot list '" + what + "'; expected faults, mitigations or metrics");
  return kExitOk;
}

}  // namespace faultline::cli
