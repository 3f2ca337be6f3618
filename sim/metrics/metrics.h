// The metrics of one run. The model bumps plain counters in the hot path (no lookups, no
// allocation); derived rates are computed once at the end. kMetrics is the single list of
// metric names, units and definitions: results.json, `faultline list metrics`, the report
// and docs/metrics.md all use these names.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/metrics/series.h"

namespace faultline {

// Raw tallies, bumped by the model.
struct Counters {
  std::uint64_t reminders_scheduled = 0;  // reminder messages the due list asked for
  std::uint64_t reminders_delivered = 0;  // reached a handset within the horizon
  std::uint64_t sms_sent = 0;             // accepted by a vendor (includes retries elsewhere)
  std::uint64_t sms_rejected = 0;         // refused by a vendor's API
  std::uint64_t sms_dropped = 0;          // accepted, then silently lost in an outage
  std::uint64_t sms_expired = 0;          // waited in a vendor queue past its validity
  std::uint64_t sms_failed = 0;           // normal per-message delivery failure
  double sms_cost = 0;                    // sum of cost_per_message over accepted messages
  std::uint64_t payments_due = 0;
  std::uint64_t paid_on_time = 0;
  std::uint64_t paid_late = 0;            // after the due date, within grace
  std::uint64_t missed_payments = 0;      // not paid by the end of grace
  std::uint64_t borrowers_reminded = 0;   // borrowers with at least one delivered reminder
  std::uint64_t payment_attempts = 0;
  std::uint64_t events = 0;               // kernel events processed
  TimeSeries series;                      // hourly sends, deliveries, losses, payments
  LatencyHistogram delivery_latency;      // reminder batch time → handset, delivered only
};

enum class Metric : int {
  reminders_scheduled,
  reminders_delivered,
  notification_loss_rate,
  sms_sent,
  sms_cost,
  payments_due,
  paid_on_time,
  paid_late,
  missed_payments,
  missed_payment_rate,
  late_payment_rate,
  borrowers_reminded,
  payment_attempts,
  delivery_latency_p50_s,
  delivery_latency_p95_s,
  delivery_latency_p99_s,
  kCount
};
inline constexpr int kMetricCount = static_cast<int>(Metric::kCount);

struct MetricInfo {
  Metric id;
  std::string_view name;
  std::string_view unit;
  std::string_view definition;
};

extern const std::array<MetricInfo, kMetricCount> kMetrics;

using MetricValues = std::array<double, kMetricCount>;

MetricValues compute_metrics(const Counters& c);
const MetricInfo* find_metric(std::string_view name);

}  // namespace faultline
