#include "sim/model/registry.h"

#include <algorithm>

namespace faultline {

template <typename Plugin>
void Registry<Plugin>::add(Plugin plugin) {
  const std::string_view name = plugin.info.name;
  if (name.empty()) {
    errors_.push_back("a plug-in was registered without a name");
    return;
  }
  const auto at =
      std::lower_bound(plugins_.begin(), plugins_.end(), name,
                       [](const Plugin& p, std::string_view n) { return p.info.name < n; });
  if (at != plugins_.end() && at->info.name == name) {
    errors_.push_back("plug-in '" + std::string(name) + "' is registered twice");
    return;
  }
  const auto index = at - plugins_.begin();
  infos_.insert(infos_.begin() + index, plugin.info);
  plugins_.insert(at, std::move(plugin));
}

template <typename Plugin>
const Plugin* Registry<Plugin>::find(std::string_view name) const {
  const auto at =
      std::lower_bound(plugins_.begin(), plugins_.end(), name,
                       [](const Plugin& p, std::string_view n) { return p.info.name < n; });
  return at != plugins_.end() && at->info.name == name ? &*at : nullptr;
}

template class Registry<FaultPlugin>;
template class Registry<MitigationPlugin>;

// Function-local statics: constructed on first use, so a registrar in any file may run
// first.
Registry<FaultPlugin>& fault_registry() {
  static Registry<FaultPlugin> registry;
  return registry;
}

Registry<MitigationPlugin>& mitigation_registry() {
  static Registry<MitigationPlugin> registry;
  return registry;
}

RegisterFault::RegisterFault(FaultPlugin plugin) {
  fault_registry().add(std::move(plugin));
}

RegisterMitigation::RegisterMitigation(MitigationPlugin plugin) {
  mitigation_registry().add(std::move(plugin));
}

}  // namespace faultline
