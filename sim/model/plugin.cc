#include "sim/model/plugin.h"

#include <set>
#include <stdexcept>
#include <string>

#include "sim/model/world.h"

namespace faultline {

PluginRegistry::PluginRegistry(std::vector<Plugin> plugins) : plugins_(std::move(plugins)) {
  std::set<std::string_view> names;
  for (const Plugin& p : plugins_) {
    if (p.info.name.empty() || p.apply == nullptr)
      throw std::logic_error("plug-in registered without a name or an apply function");
    if (!names.insert(p.info.name).second)
      throw std::logic_error("plug-in '" + std::string(p.info.name) + "' registered twice");
    infos_.push_back(p.info);
  }
}

const Plugin* PluginRegistry::find(std::string_view name) const {
  for (const Plugin& p : plugins_)
    if (p.info.name == name) return &p;
  return nullptr;
}

Scenario load_scenario(const std::string& path) {
  Scenario s = parse_scenario_file(path, builtin_catalogues());
  check_plugins(s);
  return s;
}

Catalogues builtin_catalogues() {
  return Catalogues{fault_registry().catalogue(), mitigation_registry().catalogue()};
}

}  // namespace faultline
