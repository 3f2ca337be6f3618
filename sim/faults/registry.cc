#include "sim/faults/faults.h"

namespace faultline {

const PluginRegistry& fault_registry() {
  static const PluginRegistry registry({
      vendor_outage_plugin(),
      vendor_degradation_plugin(),
      carrier_outage_plugin(),
      subscriber_suspension_plugin(),
      spam_filtering_plugin(),
      core_cutover_plugin(),
      data_sync_lag_plugin(),
      notification_pause_plugin(),
      cache_bug_plugin(),
      link_expiry_plugin(),
      app_version_incompatibility_plugin(),
      load_surge_plugin(),
      gateway_outage_plugin(),
      risk_false_positive_plugin(),
      link_outage_plugin(),  // network-level: engine: simgrid only
      link_degradation_plugin(),
      bulk_transfer_plugin(),
  });
  return registry;
}

}  // namespace faultline
