// The metrics of one run. The model bumps plain counters in the hot path (no lookups, no
// allocation); derived rates are computed once at the end. kMetrics is the single list of
// metric names, units and definitions: results.json, `faultline list metrics`, the report
// and docs/metrics.md all use these names.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "sim/metrics/series.h"

namespace faultline {

// Why a payment attempt failed: the step of the journey that stopped it. The names are
// the suffixes of the payment_failures_<cause> metrics.
enum class PaymentFailure : std::uint8_t {
  overload,
  stale_view,
  link_expired,
  otp,
  garbled_screen,
  gateway,
  risk,
  core
};
inline constexpr int kPaymentFailureCount = 8;
inline constexpr std::string_view kPaymentFailureNames[kPaymentFailureCount] = {
    "overload", "stale_view", "link_expired", "otp", "garbled_screen", "gateway", "risk", "core"};

// Over several cycles (population.cycles > 1, sim/model/cycles.h): where the borrowers
// are, by days-past-due bucket (0 current, 1 = 1–29, 2 = 30–59, 3 = 60+).
struct CycleCounts {
  std::uint32_t cycles = 0;  // 0: a one-cycle run (the cycle metrics have no value)
  std::uint64_t borrowers = 0;
  // rolls[from][to]: borrowers in bucket `from` at a cycle's start and `to` at its end,
  // summed over every cycle.
  std::array<std::array<std::uint64_t, 4>, 4> rolls{};
  std::array<std::uint64_t, 4> last{};  // by bucket at the end of the last cycle
  std::uint64_t ever_30dpd = 0;         // borrowers 30+ days past due at some cycle's end
  std::uint64_t autopay_adopted = 0;    // enrolled in autopay after a late fee
};

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
  std::uint64_t paid_late = 0;           // after the due date, within grace
  std::uint64_t missed_payments = 0;     // not paid by the end of grace
  std::uint64_t borrowers_reminded = 0;  // borrowers with at least one delivered reminder
  std::uint64_t sms_undeliverable = 0;   // the carrier could not deliver (suspended number)
  std::uint64_t sms_retries = 0;         // notification_retry resends
  std::uint64_t push_sent = 0;
  std::uint64_t email_sent = 0;
  std::uint64_t in_app_sent = 0;
  std::uint64_t messages_delivered = 0;  // every delivered message, on every channel
  std::uint64_t reminders_seen = 0;      // delivered messages the borrower looked at
  std::uint64_t borrowers_saw_reminder = 0;
  std::uint64_t reminders_after_payment = 0;  // sent from a stale due list to payers
  std::uint64_t reported_delinquencies = 0;
  double amount_due = 0;                 // sum of instalment amounts
  double missed_amount = 0;              // sum over missed payments
  std::uint64_t batches_suppressed = 0;  // reminder batches the notification service did not send
  std::uint64_t failovers = 0;
  std::uint64_t sms_to_unreachable = 0;   // must stay 0: checked as an invariant
  std::uint64_t payment_attempts = 0;     // every attempt, retries and autopay included
  std::uint64_t borrowers_attempted = 0;  // borrowers who made at least one attempt
  std::uint64_t payment_failures = 0;
  std::uint64_t borrowers_with_failure = 0;  // borrowers with at least one failed attempt
  std::array<std::uint64_t, kPaymentFailureCount> payment_failures_by_cause{};
  std::uint64_t charges = 0;            // successful charges (each one posted to the core)
  std::uint64_t postings = 0;           // must equal charges: checked as an invariant
  std::uint64_t duplicate_charges = 0;  // a second charge for an obligation already paid
  double duplicate_amount = 0;
  std::uint64_t duplicates_prevented = 0;  // second charges refused by idempotency keys
  std::uint64_t unconfirmed_payments = 0;  // charged, but the app showed no confirmation in time
  std::uint64_t stale_views = 0;  // the app showed data older than the borrower's last change
  std::uint64_t link_expired_errors =
      0;                           // reminder links found expired on tap (refreshed ones included)
  std::uint64_t otp_failures = 0;  // SMS one-time passwords that did not arrive in time
  std::uint64_t support_contacts = 0;
  std::uint64_t blocked_by_otp = 0;   // missed obligations whose last failure was the OTP
  std::uint64_t blocked_by_risk = 0;  // missed obligations whose last failure was risk control
  std::uint64_t charges_before_attempt = 0;   // must stay 0: checked as an invariant
  std::uint64_t overdue_reminder_payers = 0;  // an overdue reminder prompted them within grace
  std::uint64_t collections_calls = 0;        // collections_call: calls placed
  std::uint64_t collections_contacts = 0;     // of them, calls that reached the borrower
  std::uint64_t events = 0;                   // kernel events processed
  // The first fault window and the first reaction to it, as the model saw them
  // (kTimeNever: none); time_to_detect_s and time_to_recover_s are derived from these.
  SimTime first_fault_start = kTimeNever;
  SimTime first_fault_end = kTimeNever;
  SimTime first_detection = kTimeNever;  // a monitor noticed
  SimTime first_recovery = kTimeNever;   // a corrective action (failover, alarm)
  TimeSeries series;                     // hourly sends, deliveries, losses, payments
  LatencyHistogram delivery_latency;     // reminder batch time → delivery, every channel
  std::array<LatencyHistogram, 4> channel_latency;  // by Channel
  // The same latencies in 1 %-wide bins with their sum: the run's latency metrics.
  LatencySketch delivery_latency_sketch;
  std::array<LatencySketch, 4> channel_latency_sketch;
  CycleCounts cycles;  // population.cycles > 1 only
};

// Adds a later cycle's counts (sim/model/cycles.cc): every tally and the latency
// histograms and sketches; the time series, the incident timeline and `cycles` stay the
// first's.
void add_cycle(Counters& into, const Counters& cycle);

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
  delivery_latency_mean_s,
  reported_delinquencies,
  reported_delinquency_rate,
  reminders_seen,
  borrowers_saw_reminder,
  messages_delivered,
  push_sent,
  email_sent,
  in_app_sent,
  sms_undeliverable,
  sms_retries,
  reminders_after_payment,
  batches_suppressed,
  failovers,
  time_to_detect_s,
  time_to_recover_s,
  sms_latency_p50_s,
  sms_latency_p95_s,
  sms_latency_p99_s,
  push_latency_p50_s,
  push_latency_p95_s,
  push_latency_p99_s,
  email_latency_p50_s,
  email_latency_p95_s,
  email_latency_p99_s,
  in_app_latency_p50_s,
  in_app_latency_p95_s,
  in_app_latency_p99_s,
  amount_due,
  missed_amount,
  missed_amount_rate,
  borrowers_attempted,
  payment_failures,
  payment_failure_rate,
  borrowers_with_failure,
  borrower_failure_rate,
  payment_failures_overload,
  payment_failures_stale_view,
  payment_failures_link_expired,
  payment_failures_otp,
  payment_failures_garbled_screen,
  payment_failures_gateway,
  payment_failures_risk,
  payment_failures_core,
  charges,
  duplicate_charges,
  duplicate_amount,
  duplicates_prevented,
  unconfirmed_payments,
  stale_views,
  link_expired_errors,
  otp_failures,
  support_contacts,
  blocked_by_otp,
  blocked_by_risk,
  cure_rate,
  overdue_reminder_payers,
  dpd_1_29_rate,
  dpd_30_59_rate,
  dpd_60_plus_rate,
  dpd_30_plus_rate,
  ever_30dpd_rate,
  roll_rate_current_to_1_29,
  roll_rate_1_29_to_30_59,
  roll_rate_30_59_to_60_plus,
  autopay_adopted,
  collections_calls,
  collections_contacts,
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

// Every metric from a run's counters: the one place metrics are derived (docs/metrics.md).
MetricValues compute_metrics(const Counters& c);
// The two durations compute_metrics reports in seconds: first detection − first fault
// start, and the first corrective action or the end of the first fault window (whichever
// is earlier) − first fault start; -1 when there is none (no fault, never detected).
SimTime time_to_detect(const Counters& c);
SimTime time_to_recover(const Counters& c);
// Bit-for-bit equality: a metric with no data is NaN in both (e.g. push latency without
// push), which operator== would call different. This is the determinism check.
bool identical(const MetricValues& a, const MetricValues& b);
const MetricInfo* find_metric(std::string_view name);

// With population.cycles > 1, the metrics recorded for every cycle of a run (results.json
// `cycles`, docs/results-schema.md): for cycle k, the buckets, ever_30dpd_rate and
// autopay_adopted at the end of cycle k, the roll rates over cycle k alone, and the
// payment and reminder metrics of cycle k's instalment alone. At the last cycle the
// buckets, ever_30dpd_rate and autopay_adopted equal the run's end-of-run values.
inline constexpr Metric kCycleMetrics[] = {Metric::payments_due,
                                           Metric::missed_payment_rate,
                                           Metric::late_payment_rate,
                                           Metric::cure_rate,
                                           Metric::overdue_reminder_payers,
                                           Metric::reminders_delivered,
                                           Metric::notification_loss_rate,
                                           Metric::dpd_1_29_rate,
                                           Metric::dpd_30_59_rate,
                                           Metric::dpd_60_plus_rate,
                                           Metric::dpd_30_plus_rate,
                                           Metric::ever_30dpd_rate,
                                           Metric::roll_rate_current_to_1_29,
                                           Metric::roll_rate_1_29_to_30_59,
                                           Metric::roll_rate_30_59_to_60_plus,
                                           Metric::autopay_adopted};
inline constexpr std::size_t kCycleMetricCount = std::size(kCycleMetrics);
using CycleMetricValues = std::array<double, kCycleMetricCount>;
// The most cycles a run can have (population.cycles: 1 to 120): the readers' bound.
inline constexpr std::size_t kMaxCycles = 120;
// The cycle metrics' values picked out of a cycle's full metric values.
CycleMetricValues cycle_metric_values(const MetricValues& all);

}  // namespace faultline
