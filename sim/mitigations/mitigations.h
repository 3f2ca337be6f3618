// The built-in mitigations, one file each. Add a new one by writing its file and listing
// its function in registry.cc (see README.md in this folder).
#pragma once

#include "sim/model/plugin.h"

namespace faultline {

Plugin vendor_failover_plugin();
Plugin multi_channel_plugin();
Plugin notification_retry_plugin();
Plugin carrier_status_routing_plugin();
Plugin grace_period_plugin();
Plugin autopay_plugin();
Plugin staged_cutover_plugin();
Plugin anomaly_monitoring_plugin();
// Payment side.
Plugin idempotency_keys_plugin();
Plugin cache_invalidation_plugin();
Plugin link_refresh_plugin();
Plugin non_sms_otp_plugin();
Plugin fallback_payment_rail_plugin();
Plugin elastic_capacity_plugin();
Plugin status_announcement_plugin();
// Network-level (engine: simgrid; applied in sim/engines/simgrid/platform.cc).
Plugin rate_limit_export_plugin();
Plugin dedicated_link_plugin();
Plugin stage_replay_plugin();

}  // namespace faultline
