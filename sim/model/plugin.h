// Faults and mitigations are small plug-ins registered by name (after Toxiproxy's toxics
// and FoundationDB's workloads). A plug-in is its self-description (PluginInfo: name,
// summary, parameters) plus one function that applies it to a World before the run. The
// registry rejects duplicate names and is the single source for YAML validation,
// `faultline list` and the docs. See sim/faults/README.md for how to add one.
#pragma once

#include <string_view>
#include <vector>

#include "sim/scenario/params.h"
#include "sim/scenario/parser.h"

namespace faultline {

class World;

struct Plugin {
  PluginInfo info;
  void (*apply)(const ParamSet& params, World& world);
};

class PluginRegistry {
 public:
  // Throws std::logic_error on a duplicate or empty name.
  explicit PluginRegistry(std::vector<Plugin> plugins);
  const Plugin* find(std::string_view name) const;
  const std::vector<Plugin>& plugins() const { return plugins_; }
  const std::vector<PluginInfo>& catalogue() const { return infos_; }

 private:
  std::vector<Plugin> plugins_;
  std::vector<PluginInfo> infos_;
};

const PluginRegistry& fault_registry();       // sim/faults/registry.cc
const PluginRegistry& mitigation_registry();  // sim/mitigations/registry.cc
Catalogues builtin_catalogues();

// Parses a scenario file and checks that every strategy's plug-ins can be configured
// together (e.g. an extended grace period still inside the horizon). Throws
// ScenarioError with file:line:col. Every command that reads scenarios uses this.
Scenario load_scenario(const std::string& path);

}  // namespace faultline
