#include "sim/faults/faults.h"

namespace faultline {

const PluginRegistry& fault_registry() {
  static const PluginRegistry registry({
      vendor_outage_plugin(),
  });
  return registry;
}

}  // namespace faultline
