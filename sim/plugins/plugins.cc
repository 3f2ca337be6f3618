#include "sim/plugins/plugins.h"

#include <iostream>
#include <stdexcept>

#include "sim/model/population.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
template <typename Plugin>
void check_registry(const Registry<Plugin>& registry) {
  if (!registry.errors().empty()) throw std::logic_error(registry.errors().front());
}
}  // namespace

Catalogues builtin_catalogues() {
  check_registry(fault_registry());
  check_registry(mitigation_registry());
  return Catalogues{fault_registry().catalogue(), mitigation_registry().catalogue()};
}

Scenario load_scenario(const std::string& path, std::ostream* warnings) {
  Scenario s = parse_scenario_file(path, builtin_catalogues());
  if (warnings != nullptr)
    for (const std::string& w : s.warnings) *warnings << w << "\n";
  check_plugins(s);
  return s;
}

Scenario load_scenario(const std::string& path) {
  return load_scenario(path, &std::cerr);
}

NetworkPlan plan_network(const StrategySpec& strategy, const Schedule& schedule) {
  NetworkPlan plan;
  for (const ScheduledFault& f : schedule.faults())
    if (const FaultPlugin* p = fault_registry().find(f.type); p && p->plan_network)
      p->plan_network(f, plan);
  for (const PluginUse& m : strategy.mitigations)
    if (const MitigationPlugin* p = mitigation_registry().find(m.type); p && p->plan_network)
      p->plan_network(m, plan);
  return plan;
}

void check_plugins(const Scenario& s) {
  Scenario empty = s;
  empty.population.borrowers = 0;
  const Population none = Population::generate(empty, 0);
  for (const StrategySpec& strategy : s.strategies) {
    try {
      World w(s, none, 0);
      w.configure(strategy);
    } catch (const PluginError& e) {
      throw ScenarioError(s.file, e.loc(), e.what());
    }
  }
}

}  // namespace faultline
