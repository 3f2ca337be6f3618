// The built-in plug-ins, loaded: the layer above the model and every fault and mitigation
// (sim/faults, sim/mitigations), where a scenario is read against their catalogues and
// checked by configuring a World for each strategy. Commands, the experiment and the
// engines read scenarios through here; the model and the scenario parser know no
// plug-in. docs/architecture.md shows the layers.
#pragma once

#include <iosfwd>
#include <string>

#include "sim/scenario/network_plan.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schedule.h"

namespace faultline {

// The catalogues of the registered faults and mitigations, for the parser. Throws
// std::logic_error when a registry recorded an error (a name registered twice).
Catalogues builtin_catalogues();

// Parses a scenario file and checks that every strategy's plug-ins can be configured
// together (e.g. an extended grace period still inside the horizon). Throws
// ScenarioError with file:line:col. Every command that reads scenarios uses this.
// Warnings (deprecated keys) go to `warnings` (nullptr: nowhere).
Scenario load_scenario(const std::string& path, std::ostream* warnings);
Scenario load_scenario(const std::string& path);  // warnings to stderr

// What the network-level plug-ins of the scenario and of the strategy change in one run
// (their plan_network hooks, in the order they are written): the SimGrid engine's input.
NetworkPlan plan_network(const StrategySpec& strategy, const Schedule& schedule);

// Configures a World for every strategy on an empty population, so that plug-in
// configuration errors surface as ScenarioErrors before anything runs.
void check_plugins(const Scenario& scenario);

}  // namespace faultline
