// The model and its plug-ins, by paired runs with the same seed: a fault harms what it
// should when on and changes nothing when off; a mitigation reduces the harm it targets.
#include <gtest/gtest.h>

#include <cmath>

#include "scenario_fixture.h"

namespace faultline {
namespace {

using testing::parse_text;
using testing::rate;
using testing::run_once;
using testing::small_scenario;

const std::string kOutage =
    "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d, mode: silent_drop}\n";
const std::string kBaseline = "  baseline: {}\n";

TEST(Model, OutcomesAddUpAndNormalOperationLosesAboutTheFailureRate) {
  const Counters c = run_once(parse_text(small_scenario("", kBaseline)));
  EXPECT_EQ(c.payments_due, 20000u);
  EXPECT_EQ(c.paid_on_time + c.paid_late + c.missed_payments, c.payments_due);
  // Only the 5 % per-message failure loses reminders: 5 standard errors of tolerance.
  const double loss = 1 - rate(c.reminders_delivered, c.reminders_scheduled);
  EXPECT_NEAR(loss, 0.05, 5 * std::sqrt(0.05 * 0.95 / static_cast<double>(c.reminders_scheduled)));
  // Missed = forgetters (20 %) not rescued (1 - 0.95 × 0.4) who do not cure (40 %).
  const double expected_missed = 0.2 * (1 - 0.95 * 0.4) * 0.4;
  EXPECT_NEAR(rate(c.missed_payments, c.payments_due), expected_missed,
              5 * std::sqrt(expected_missed * (1 - expected_missed) / 20000));
}

TEST(VendorOutage, SilentDropLosesTheRemindersInItsWindow) {
  const Counters off = run_once(parse_text(small_scenario("", kBaseline)));
  const Counters on = run_once(parse_text(small_scenario(kOutage, kBaseline)));
  // The outage covers the 09:00 batches of days 5 and 6: borrowers due on days 6 and 7,
  // half of the population (days 5-8 uniform).
  EXPECT_EQ(on.reminders_scheduled, off.reminders_scheduled) << "the due list does not change";
  const double lost_share = rate(off.reminders_delivered - on.reminders_delivered, off.reminders_scheduled);
  EXPECT_NEAR(lost_share, 0.5 * 0.95, 5 * std::sqrt(0.25 / 20000.0));
  EXPECT_GT(on.missed_payments, off.missed_payments);
  EXPECT_GT(on.sms_dropped, 0u);
  EXPECT_EQ(off.sms_dropped, 0u);
}

TEST(VendorOutage, ChangesNothingWhenItMissesEveryReminder) {
  // A window after the last reminder batch (day 7 09:00) touches no message.
  const Counters off = run_once(parse_text(small_scenario("", kBaseline)));
  const Counters late = run_once(parse_text(small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 8d, duration: 5d}\n", kBaseline)));
  const Counters zero = run_once(parse_text(small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 5d 08:00, duration: 0s}\n", kBaseline)));
  for (const Counters* c : {&late, &zero}) {
    EXPECT_EQ(compute_metrics(*c), compute_metrics(off));
    EXPECT_EQ(c->events, off.events);
  }
}

TEST(VendorOutage, RejectModeIsVisibleToTheSender) {
  const Counters c = run_once(parse_text(small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d, mode: reject}\n", kBaseline)));
  EXPECT_GT(c.sms_rejected, 0u);
  EXPECT_EQ(c.sms_dropped, 0u);
}

TEST(VendorFailover, ReducesLossAndMissedPaymentsUnderSilentDrop) {
  const Scenario s = parse_text(small_scenario(
      kOutage, kBaseline + "  failover: {vendor_failover: {secondary: beta, detect: 15m}}\n"));
  const Counters base = run_once(s, 0);
  const Counters fo = run_once(s, 1);
  EXPECT_LT(fo.reminders_scheduled - fo.reminders_delivered, (base.reminders_scheduled - base.reminders_delivered) / 4);
  EXPECT_LT(fo.missed_payments, base.missed_payments);
  EXPECT_EQ(fo.payments_due, base.payments_due);
}

TEST(VendorFailover, SlowerDetectionLosesMore) {
  const Scenario s = parse_text(small_scenario(
      kOutage, kBaseline + "  fast: {vendor_failover: {secondary: beta, detect: 15m}}\n" +
                   "  slow: {vendor_failover: {secondary: beta, detect: 14h}}\n"));
  const Counters base = run_once(s, 0), fast = run_once(s, 1), slow = run_once(s, 2);
  EXPECT_LT(fast.reminders_scheduled - fast.reminders_delivered, slow.reminders_scheduled - slow.reminders_delivered);
  EXPECT_LT(slow.reminders_scheduled - slow.reminders_delivered, base.reminders_scheduled - base.reminders_delivered);
}

TEST(VendorFailover, RetriesRejectionsOnTheSecondaryAtOnce) {
  const Scenario s = parse_text(small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d, mode: reject}\n",
      kBaseline + "  failover: {vendor_failover: {secondary: beta, detect: 6h}}\n"));
  const Counters base = run_once(s, 0), fo = run_once(s, 1);
  EXPECT_GT(base.sms_rejected, 0u);
  // Every rejected message went to beta: only normal failures remain, whatever `detect` is.
  const double loss = 1 - rate(fo.reminders_delivered, fo.reminders_scheduled);
  EXPECT_NEAR(loss, 0.05, 5 * std::sqrt(0.05 * 0.95 / static_cast<double>(fo.reminders_scheduled)));
}

TEST(SmsVendor, QueueDrainsAtCapacityAndExpiresPastValidity) {
  // 20,000 reminders over 4 batches of ~5,000 at 10/s: each batch needs ~500 s, but the
  // validity of 30 s lets only the first 301 of each batch through (waits 0, 0.1, … 30 s).
  const Counters c = run_once(parse_text(small_scenario(
      "", kBaseline, "    alpha: {capacity: 10/s, validity: 30s}\n    beta: {capacity: 10/s}\n")));
  EXPECT_EQ(c.sms_sent - c.sms_expired, 4u * 301u);
  EXPECT_EQ(c.reminders_delivered, 4u * 301u);
}

}  // namespace
}  // namespace faultline
