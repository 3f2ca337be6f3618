#include "sim/mitigations/mitigations.h"

namespace faultline {

const PluginRegistry& mitigation_registry() {
  static const PluginRegistry registry({
      vendor_failover_plugin(),
  });
  return registry;
}

}  // namespace faultline
