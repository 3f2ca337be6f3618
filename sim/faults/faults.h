// The built-in faults, one file each. Add a new one by writing its file and listing its
// function in registry.cc (see README.md in this folder).
#pragma once

#include "sim/model/plugin.h"

namespace faultline {

Plugin vendor_outage_plugin();
Plugin vendor_degradation_plugin();
Plugin carrier_outage_plugin();
Plugin subscriber_suspension_plugin();
Plugin spam_filtering_plugin();
Plugin core_cutover_plugin();
Plugin data_sync_lag_plugin();
Plugin notification_pause_plugin();
// Payment side.
Plugin cache_bug_plugin();
Plugin link_expiry_plugin();
Plugin app_version_incompatibility_plugin();
Plugin load_surge_plugin();
Plugin gateway_outage_plugin();
Plugin risk_false_positive_plugin();
// Network-level (engine: simgrid; applied in sim/engines/simgrid/platform.cc).
Plugin link_outage_plugin();
Plugin link_degradation_plugin();
Plugin bulk_transfer_plugin();

}  // namespace faultline
