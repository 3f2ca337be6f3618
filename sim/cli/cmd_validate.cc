// `faultline validate` checks scenario files without running them; `faultline list`
// prints the catalogue of faults, mitigations and metrics from the registries.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/scenario/parser.h"

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
      const Scenario s = load_scenario(file);
      std::cout << file << ": ok (" << s.name << ", " << s.strategies.size() << " strategies, "
                << s.faults.size() << " faults)\n";
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

namespace {
void print_plugins(std::span<const PluginInfo> catalogue) {
  for (const PluginInfo& p : catalogue) {
    std::cout << p.name << " — " << p.summary << "\n";
    for (const ParamSpec& spec : p.params) {
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
    print_plugins(builtin_catalogues().faults);
  else if (what == "mitigations")
    print_plugins(builtin_catalogues().mitigations);
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
