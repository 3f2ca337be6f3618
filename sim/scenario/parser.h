// Reads a scenario file into a validated Scenario. Faults and mitigations are validated
// against the plug-in catalogues passed in (the registries in sim/faults and
// sim/mitigations), so the parser knows no plug-in by name.
#pragma once

#include <span>
#include <string>

#include "sim/scenario/params.h"
#include "sim/scenario/scenario.h"

namespace YAML {
class Node;
}

namespace faultline {

struct Catalogues {
  std::span<const PluginInfo> faults;
  std::span<const PluginInfo> mitigations;
};

// Throws ScenarioError (file:line:col: message) on any problem, including unreadable files.
Scenario parse_scenario_file(const std::string& path, const Catalogues& catalogues);
Scenario parse_scenario_text(const std::string& text, const std::string& file_name,
                             const Catalogues& catalogues);
// The parser on an already loaded tree (no text, hash or sweep expansion): how
// sweep_grid.cc builds each point after putting the swept values in.
Scenario parse_scenario_node(const YAML::Node& root, const std::string& file_name,
                             const Catalogues& catalogues);

}  // namespace faultline
