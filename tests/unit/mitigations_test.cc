// Every mitigation reduces the harm it targets, in a scenario where it applies — paired
// runs with the same seed, so the only difference is the strategy.
#include <gtest/gtest.h>

#include "scenario_fixture.h"

namespace faultline {
namespace {

using namespace testing;

const std::string kSilentDrop =
    "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n";

// Runs the baseline and one strategy (given as its YAML body) on the same faults.
std::pair<Counters, Counters> paired(const std::string& faults, const std::string& strategy) {
  const Scenario s =
      parse_text(small_scenario(faults, "  baseline: {}\n  mitigated: " + strategy + "\n"));
  return {run_once(s, 0), run_once(s, 1)};
}

TEST(VendorFailover, ReceiptRateFailoverSavesTheNextBatch) {
  const auto [base, fo] = paired(kSilentDrop, "{vendor_failover: {secondary: beta}}");
  // The day-5 batch is lost before receipts can be missed; from then on beta carries the
  // traffic (5 % probes still go to alpha and are lost): about half the loss is saved.
  EXPECT_LT(lost(fo), lost(base) * 7 / 10);
  EXPECT_LT(fo.missed_payments, base.missed_payments);
  EXPECT_EQ(fo.failovers, 1u);
  EXPECT_GT(fo.time_to_detect, 0);
  EXPECT_LT(fo.time_to_detect, 13 * kHour + 30 * kMinute)
      << "day-5 09:00 batch, judged ~6 min later";
}

TEST(VendorFailover, HealthChecksCannotSeeASilentDropButCatchRejections) {
  const auto [base, hc] =
      paired(kSilentDrop, "{vendor_failover: {secondary: beta, detect: health_check}}");
  EXPECT_EQ(lost(hc), lost(base)) << "the API answers, so the health check stays green";
  const std::string reject =
      "faults:\n  - {type: vendor_outage, target: alpha, mode: reject, at: 4d 20:00, duration: "
      "2d}\n";
  const auto [rbase, rhc] =
      paired(reject, "{vendor_failover: {secondary: beta, detect: health_check}}");
  EXPECT_LT(lost(rhc), lost(rbase) / 5);
  EXPECT_EQ(rhc.failovers, 1u);
}

TEST(VendorFailover, FailsBackWhenProbesRecover) {
  // A 1-hour outage at the day-5 batch: failover, then probes show alpha healthy again.
  const std::string brief =
      "faults:\n  - {type: vendor_outage, target: alpha, at: 5d 08:50, duration: 1h}\n";
  const Scenario s = parse_text(
      small_scenario(brief, "  baseline: {}\n  fo: {vendor_failover: {secondary: beta}}\n"));
  const Counters fo = run_once(s, 1);
  EXPECT_EQ(fo.failovers, 1u);
  // After failback the day-6 and day-7 batches go through alpha again, with alpha's costs.
  const Counters base = run_once(s, 0);
  EXPECT_LT(lost(fo), lost(base));
}

TEST(MultiChannel, FallsBackToPushAndEmail) {
  const auto [base, mc] =
      paired(kSilentDrop, "{multi_channel: {fallback: [push, email], after: 2h}}");
  // Lost SMS (about 6,300) fall back to push where the borrower has it (70 % × 55 %),
  // else to e-mail.
  EXPECT_NEAR(rate(mc.push_sent, lost(base)), 0.7 * 0.55, 0.05);
  EXPECT_GT(mc.email_sent, mc.push_sent);
  EXPECT_GT(mc.reminders_delivered, base.reminders_delivered + 3000);
  EXPECT_LT(mc.missed_payments, base.missed_payments);
  const auto [pbase, par] =
      paired("", "{multi_channel: {fallback: [push, email], parallel: true}}");
  EXPECT_GT(par.messages_delivered, pbase.messages_delivered * 3 / 2)
      << "duplicates: more messages";
}

TEST(NotificationRetry, ResendsAfterAShortOutage) {
  // A 2-hour silent drop at the day-5 batch: retries after 1 h (still down) and 3 h (up).
  const std::string brief =
      "faults:\n  - {type: vendor_outage, target: alpha, at: 5d 08:30, duration: 2h}\n";
  const auto [base, retry] =
      paired(brief, "{notification_retry: {max_retries: 2, timeout: 1h, backoff: 2}}");
  EXPECT_GT(retry.sms_retries, 4000u);
  EXPECT_LT(lost(retry), lost(base) - 4000);
}

TEST(CarrierStatusRouting, ReachesSuspendedNumbersOnAnotherChannel) {
  const std::string suspension =
      "faults:\n  - {type: subscriber_suspension, share: 40%, at: 0d, duration: 1h}\n";
  const auto [base, routed] =
      paired(suspension, "{carrier_status_routing: {fallback: push, lookup_lag: 1d}}");
  // Suspended numbers of push users (70 % × 55 %) get a push instead of an SMS.
  EXPECT_NEAR(rate(routed.push_sent, base.sms_undeliverable), 0.7 * 0.55 / 0.95, 0.05);
  EXPECT_LT(routed.sms_undeliverable, base.sms_undeliverable * 7 / 10);
  EXPECT_GT(routed.reminders_delivered, base.reminders_delivered);
  EXPECT_LT(routed.missed_payments, base.missed_payments);
}

TEST(GracePeriod, TurnsSomeMissesIntoLatePayments) {
  const auto [base, grace] = paired("", "{grace_period: {extra: 1d}}");  // the horizon allows 1 day
  EXPECT_LT(grace.missed_payments, base.missed_payments);
  EXPECT_GT(grace.paid_late, base.paid_late);
  EXPECT_EQ(grace.paid_on_time, base.paid_on_time);
}

TEST(Autopay, RaisesEnrolmentAndCutsMisses) {
  const auto [base, auto_] = paired(kSilentDrop, "{autopay: {share: 50%}}");
  EXPECT_LT(auto_.missed_payments, base.missed_payments * 6 / 10);
}

TEST(StagedCutover, LimitsTheCutoverToTheCanaryUntilRollback) {
  const std::string cutover =
      "faults:\n  - {type: core_cutover, at: 4d 20:00, detected_after: 2d}\n";
  const auto [base, staged] =
      paired(cutover, "{staged_cutover: {canary: 10%, rollback_after: 2h}}");
  EXPECT_LT(lost(staged), lost(base) / 5);
  const auto [b2, slow] = paired(cutover, "{staged_cutover: {canary: 10%, rollback_after: 1d}}");
  EXPECT_GT(lost(slow), lost(staged)) << "a later rollback silences the canary's day-5 batch";
}

TEST(AnomalyMonitoring, ReenablesAndResendsAfterACutover) {
  const std::string cutover =
      "faults:\n  - {type: core_cutover, at: 4d 20:00, detected_after: 2d}\n";
  const auto [base, mon] = paired(cutover, "{anomaly_monitoring: {detect_after: 30m}}");
  EXPECT_EQ(mon.batches_suppressed, 1u) << "the day-6 batch runs after re-enabling";
  EXPECT_LT(lost(mon), lost(base) / 5);
  EXPECT_EQ(mon.time_to_detect, 13 * kHour + 30 * kMinute)
      << "day-5 batch at 09:00 + 30 min - cutover at 4d 20:00";
}

TEST(AnomalyMonitoring, WithFailoverResendsTheLostBatch) {
  const auto [base, both] = paired(
      kSilentDrop, "{vendor_failover: {secondary: beta}, anomaly_monitoring: {detect_after: 15m}}");
  const auto [b2, fo] = paired(kSilentDrop, "{vendor_failover: {secondary: beta}}");
  EXPECT_LT(lost(both), lost(fo) / 3) << "the day-5 batch is re-sent through beta";
  EXPECT_LT(both.missed_payments, fo.missed_payments);
}

}  // namespace
}  // namespace faultline
