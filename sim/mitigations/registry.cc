#include "sim/mitigations/mitigations.h"

namespace faultline {

const PluginRegistry& mitigation_registry() {
  static const PluginRegistry registry({
      vendor_failover_plugin(),
      multi_channel_plugin(),
      notification_retry_plugin(),
      carrier_status_routing_plugin(),
      grace_period_plugin(),
      autopay_plugin(),
      staged_cutover_plugin(),
      anomaly_monitoring_plugin(),
      idempotency_keys_plugin(),
      cache_invalidation_plugin(),
      link_refresh_plugin(),
      non_sms_otp_plugin(),
      fallback_payment_rail_plugin(),
      elastic_capacity_plugin(),
      status_announcement_plugin(),
      rate_limit_export_plugin(),  // network-level: engine: simgrid only
      dedicated_link_plugin(),
      stage_replay_plugin(),
  });
  return registry;
}

}  // namespace faultline
