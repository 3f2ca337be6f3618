// Every fault, by paired runs with the same seed: it harms the metric it should when on,
// and changes nothing when its window touches no message. The fixture's reminder batches
// run at 09:00 on days 4-7 (borrowers due on days 5-8, reminded the day before).
//
// Tolerances. A fault window covering k of the 4 batches hits a share k/4 of the ~12,700
// scheduled reminders (due days are uniform: a binomial share, sd = sqrt(p(1-p)/n) ≈ 0.0044
// for p = 1/2), and the fixture's vendors fail 5 % of messages anyway, so the extra loss is
// 0.95 × k/4. Proportions are asserted within 5 standard errors, computed for n = 10,000
// (fewer than the ~12,700 reminders, so a little wider than needed: kHalf, kQuarter) or
// with five_se() on the count at hand; a seeded run misses that band with p < 1e-6.
#include <gtest/gtest.h>

#include <cmath>

#include "scenario_fixture.h"
#include "sim/model/carrier_network.h"
#include "sim/model/sms_vendor.h"

namespace faultline {
namespace {

using namespace testing;

const std::string kDays5And6 = "at: 4d 20:00, duration: 2d";   // covers the day-5 and day-6 batches
const std::string kAfterLastBatch = "at: 8d, duration: 5d";    // after the day-7 batch
const double kHalf = 5 * std::sqrt(0.25 / 10000.0);            // 5 se of p = 1/2 (0.025)
const double kQuarter = 5 * std::sqrt(0.25 * 0.75 / 10000.0);  // 5 se of p = 1/4 (0.022)

std::string fault(const std::string& body) {
  return "faults:\n  - {" + body + "}\n";
}

Counters off() {
  return run_once("");
}

// Identical outcomes; only the fault's own bookkeeping (time to detect and to recover,
// measured from the fault's start) may differ.
void expect_inert(const std::string& body) {
  MetricValues base = compute_metrics(off()), with = compute_metrics(run_once(fault(body)));
  for (MetricValues* v : {&base, &with}) {
    (*v)[static_cast<int>(Metric::time_to_detect_s)] = 0;
    (*v)[static_cast<int>(Metric::time_to_recover_s)] = 0;
  }
  for (int m = 0; m < kMetricCount; ++m) {
    const double a = with[static_cast<std::size_t>(m)], b = base[static_cast<std::size_t>(m)];
    if (std::isnan(a) && std::isnan(b)) continue;  // e.g. push latency without push messages
    EXPECT_EQ(a, b) << body << ": " << kMetrics[static_cast<std::size_t>(m)].name;
  }
}

TEST(VendorOutage, SilentDropLosesHalfTheReminders) {
  const Counters base = off(),
                 on = run_once(fault("type: vendor_outage, target: alpha, " + kDays5And6));
  EXPECT_EQ(on.reminders_scheduled, base.reminders_scheduled) << "the due list does not change";
  // Borrowers due on days 6 and 7 (half of days 5-8) lose their reminder.
  EXPECT_NEAR(rate(lost(on) - lost(base), base.reminders_scheduled), 0.5 * 0.95, kHalf);
  EXPECT_GT(on.missed_payments, base.missed_payments);
  // Dropped: every message of the two batches, also those the 5 % would have failed.
  EXPECT_NEAR(rate(on.sms_dropped, on.sms_sent), 0.5, kHalf);
  expect_inert("type: vendor_outage, target: alpha, " + kAfterLastBatch);
  expect_inert("type: vendor_outage, target: alpha, at: 5d 08:00, duration: 0s");
}

TEST(VendorOutage, RejectIsVisibleToTheSender) {
  const Counters on =
      run_once(fault("type: vendor_outage, target: alpha, mode: reject, " + kDays5And6));
  // Every reminder of the day-5 and day-6 batches (half of them) is refused at the API.
  EXPECT_NEAR(rate(on.sms_rejected, on.reminders_scheduled), 0.5, kHalf);
  EXPECT_EQ(on.sms_dropped, 0u);
  EXPECT_GT(lost(on), lost(off()));
}

TEST(VendorOutage, BacklogDelaysAndValidityExpires) {
  // Held from 09:00 until 20:00: eleven hours late; with 6 h validity, lost instead.
  const std::string body =
      "type: vendor_outage, target: alpha, mode: backlog, at: 5d 08:00, duration: 12h";
  // Not statistical: the window holds the whole day-5 batch for 11 h, while carrier delays
  // are lognormal with a 7 s median (sigma 0.5: the 99th percentile is ~22 s).
  const MetricValues base = compute_metrics(off()), late = compute_metrics(run_once(fault(body)));
  EXPECT_GT(late[static_cast<int>(Metric::sms_latency_p99_s)], 10 * 3600.0);
  EXPECT_LT(base[static_cast<int>(Metric::sms_latency_p99_s)], 120.0);
  const Counters expired = run_once(parse_text(
      small_scenario(fault(body), "  baseline: {}\n",
                     "    alpha: {capacity: 500/s, validity: 6h}\n    beta: {capacity: 200/s}\n")));
  // The whole day-5 batch (a quarter of the reminders) expires in the backlog.
  EXPECT_NEAR(rate(expired.sms_expired, expired.reminders_scheduled), 0.25, kQuarter);
}

TEST(VendorOutage, ReceiptLossFoolsAReceiptRateMonitor) {
  const std::string body = "type: vendor_outage, target: alpha, mode: receipt_loss, " + kDays5And6;
  const Counters base = off(), on = run_once(fault(body));
  EXPECT_EQ(on.reminders_delivered, base.reminders_delivered) << "messages still arrive";
  const Counters watched =
      run_once(fault(body), "  failover: {vendor_failover: {secondary: beta}}\n");
  EXPECT_GE(watched.failovers, 1u) << "receipts vanish, so the monitor fails over needlessly";
}

TEST(VendorDegradation, AddsLatencyAndErrors) {
  const MetricValues base = compute_metrics(off());
  const MetricValues slow = compute_metrics(run_once(
      fault("type: vendor_degradation, target: alpha, extra_latency: 20s, " + kDays5And6)));
  const int p50 = static_cast<int>(Metric::sms_latency_p50_s);
  // Half the reminders get +20 s; the median moves up by at least one 12 % bin.
  EXPECT_GT(slow[p50], base[p50]);
  const Counters errors = run_once(
      fault("type: vendor_degradation, target: alpha, extra_latency: 0s, error_rate: 50%, " +
            kDays5And6));
  EXPECT_NEAR(rate(lost(errors) - lost(off()), off().reminders_scheduled), 0.5 * 0.95 * 0.5, kHalf);
  expect_inert("type: vendor_degradation, target: alpha, " + kAfterLastBatch);
}

TEST(CarrierOutage, HoldsMessagesUntilTheNetworkDrains) {
  const std::string body =
      "type: carrier_outage, target: east, at: 5d 08:00, duration: 12h, drain: 2h";
  const Counters on = run_once(fault(body));
  EXPECT_EQ(on.reminders_delivered, off().reminders_delivered)
      << "72 h validity outlasts the outage";
  EXPECT_GT(compute_metrics(on)[static_cast<int>(Metric::sms_latency_p99_s)], 10 * 3600.0);
  const Counters short_validity = run_once(parse_text(
      small_scenario(fault(body), "  baseline: {}\n",
                     "    alpha: {capacity: 500/s, validity: 4h}\n    beta: {capacity: 200/s}\n")));
  // East (half) of the day-5 batch (a quarter of reminders) expires.
  EXPECT_NEAR(rate(lost(short_validity), short_validity.reminders_scheduled), 0.125,
              five_se(0.125, static_cast<double>(short_validity.reminders_scheduled)));
  expect_inert("type: carrier_outage, " + kAfterLastBatch);
}

TEST(SubscriberSuspension, SuspendedNumbersCannotReceive) {
  const Counters on =
      run_once(fault("type: subscriber_suspension, share: 40%, at: 0d, duration: 1h"));
  EXPECT_NEAR(rate(on.sms_undeliverable, on.sms_sent), 0.4 * 0.95,
              five_se(0.4, static_cast<double>(on.sms_sent)));
  EXPECT_GT(on.missed_payments, off().missed_payments);
  // Reactivated after 10 minutes on average: a number suspended in the first hour is still
  // suspended at the first batch (day 4, 09:00) with p = e^(-95h/10m) ≈ 1e-248: nobody.
  const Counters back = run_once(fault(
      "type: subscriber_suspension, share: 40%, at: 0d, duration: 1h, reactivation_mean: 10m"));
  EXPECT_EQ(back.sms_undeliverable, 0u);
  expect_inert("type: subscriber_suspension, share: 40%, " + kAfterLastBatch);
}

TEST(SpamFiltering, DeliveredButNeverSeen) {
  const Counters on = run_once(fault("type: spam_filtering, share: 100%, " + kDays5And6));
  const Counters base = off();
  EXPECT_EQ(on.reminders_delivered, base.reminders_delivered) << "receipts say delivered";
  // Everything delivered in the day-5 and day-6 batches goes to the spam folder.
  EXPECT_NEAR(rate(on.reminders_seen, base.reminders_seen), 0.5, kHalf);
  EXPECT_GT(on.missed_payments, base.missed_payments);
  expect_inert("type: spam_filtering, " + kAfterLastBatch);
}

// Failures correlated over numbers (per: borrower on vendor_degradation and
// spam_filtering; sim/model/affected.h). Vendors that never fail and handsets always on,
// so the fault is the only way a message is lost or filtered.
const std::string kCleanVendors =
    "    alpha: {capacity: 500/s, failure_probability: 0%, first_attempt_failure: 0%}\n"
    "    beta: {capacity: 200/s, failure_probability: 0%, first_attempt_failure: 0%}\n";

Scenario clean(const std::string& faults, const std::string& strategies = "  baseline: {}\n") {
  return parse_text(small_scenario(faults, strategies, kCleanVendors));
}

// For borrowers 0..n-1, three messages each (keys 0-2): how many borrowers had all three
// hit and how many had some but not all, by `hit(borrower, key)`.
template <typename Hit>
std::pair<int, int> all_or_some(int n, Hit hit) {
  int all = 0, some = 0;
  for (std::uint32_t b = 0; b < static_cast<std::uint32_t>(n); ++b) {
    int k = 0;
    for (std::uint64_t key = 0; key < 3; ++key) k += hit(b, key) ? 1 : 0;
    all += k == 3 ? 1 : 0;
    some += k > 0 && k < 3 ? 1 : 0;
  }
  return {all, some};
}

TEST(CorrelatedSms, PerBorrowerHitsTheSameNumbersAllThroughTheWindow) {
  // error_rate = share = affected_share = 30 %: an affected number fails (or is filtered)
  // every time, the others never — all three messages or none. Affected share within 5 sd
  // of a binomial over 20,000 numbers (0.016). Per attempt, 30 % of each message
  // independently: all three only 2.7 %.
  const int n = 20000;
  const Scenario s = clean("");
  const double tol = five_se(0.3, n);
  const Affected per_borrower{.per_borrower = true, .share = 0.3, .salt = World::fault_salt(0)};
  for (const Affected& a : {per_borrower, Affected{}}) {
    const double q = a.per_borrower ? 1.0 : 0.3;
    SmsVendor v(s.vendors[0], 99);
    v.add_degradation({0, 30 * kDay, 0, 1.0, q, a});
    Counters c;
    SimTime now = 0;
    const auto [vendor_all, vendor_some] = all_or_some(n, [&](std::uint32_t b, std::uint64_t k) {
      return v.submit(now += kSecond, b, k, c).fate == SendFate::kFailed;
    });
    CarrierNetwork net(s, 99);
    net.add_spam_filter({-1, 0, 30 * kDay, q, a.salt + 16, a});
    const auto [spam_all, spam_some] = all_or_some(n, [&](std::uint32_t b, std::uint64_t k) {
      return net.carry(kHour, 73 * kHour, b, 0, s.vendors[0], 0, k).fate == CarrierFate::kFiltered;
    });
    if (a.per_borrower) {
      EXPECT_EQ(vendor_some, 0);
      EXPECT_EQ(spam_some, 0);
      EXPECT_NEAR(static_cast<double>(vendor_all) / n, 0.3, tol);
      EXPECT_NEAR(static_cast<double>(spam_all) / n, 0.3, tol);
      // The vendor's and the carrier's draws are separate streams: not the same numbers.
    } else {
      EXPECT_NEAR(static_cast<double>(vendor_all) / n, 0.027, five_se(0.027, n));
      EXPECT_NEAR(static_cast<double>(spam_all) / n, 0.027, five_se(0.027, n));
      EXPECT_GT(vendor_some, n / 2);
    }
  }
}

TEST(CorrelatedSms, AResendToAnAffectedNumberFailsAgain) {
  // vendor_degradation error_rate r = 10 % all run on the primary; a reminder is lost
  // when its send fails (one reminder per borrower, so reminders are independent).
  // - No resend: a first send fails with r in both modes (the fresh-message invariant):
  //   loss r.
  // - notification_retry, one resend a minute later through the same vendor: per attempt
  //   both fail with r² = 1 %; per borrower (affected_share a = 20 %) only an affected
  //   number fails, each send with r/a = 50 %: a (r/a)² = r²/a = 5 %.
  // Binomial over the ~12,700 reminders, within 5 se. (No resend goes to a borrower who
  // has paid since: a share s of the first failures. With a 1-minute timeout s is ~0.03 %
  // — unprompted payers pay ~1.7 % in the hour after the batch, measured with a 1 h
  // timeout — so the bias r(1 − r)s is below 0.003 pp. With 1 h it was 0.15 pp.)
  const std::string strategies =
      "  baseline: {}\n  resend: {notification_retry: {max_retries: 1, timeout: 1m}}\n";
  const std::string f =
      "faults:\n  - {type: vendor_degradation, target: alpha, extra_latency: 0s, error_rate: "
      "10%, at: 0d, duration: 15d";
  const Scenario attempt = clean(f + "}\n", strategies);
  const Scenario borrower = clean(f + ", per: borrower, affected_share: 20%}\n", strategies);
  const struct {
    const Scenario* s;
    int strategy;
    double expected;
  } cases[] = {{&attempt, 0, 0.1}, {&borrower, 0, 0.1}, {&attempt, 1, 0.01}, {&borrower, 1, 0.05}};
  for (const auto& c : cases) {
    const Counters r = run_once(*c.s, c.strategy);
    const double n = static_cast<double>(r.reminders_scheduled);
    EXPECT_NEAR(rate(lost(r), r.reminders_scheduled), c.expected, five_se(c.expected, n))
        << (c.s == &attempt ? "per attempt" : "per borrower") << ", strategy " << c.strategy;
    // One reminder per borrower: the borrower-level count shows the same clustering.
    EXPECT_EQ(r.borrowers_reminded, r.reminders_delivered);
  }
}

TEST(CorrelatedSms, PerAttemptDrawsAsBeforeAndPerBorrowerIgnoresThreads) {
  // per: attempt (written or not), and per: borrower at 100 %, draw exactly as before the
  // option; a per-borrower run gives the same records with 1 or 3 jobs, and replication 2
  // alone reproduces its record (shards are sets of whole runs).
  for (const std::string body :
       {"type: vendor_degradation, target: alpha, extra_latency: 0s, error_rate: 20%",
        "type: spam_filtering, share: 20%"}) {
    const std::string f = "faults:\n  - {" + body + ", at: 0d, duration: 15d";
    const MetricValues base = compute_metrics(run_once(clean(f + "}\n")));
    for (const char* extra : {", per: attempt", ", per: borrower, affected_share: 100%"})
      EXPECT_TRUE(identical(compute_metrics(run_once(clean(f + extra + "}\n"))), base))
          << body << extra;
    Scenario s = clean(f + ", per: borrower, affected_share: 40%}\n");
    EXPECT_FALSE(identical(compute_metrics(run_once(s)), base)) << body;
    s.replications = 3;
    expect_same_records_whatever_the_split(s, body);
  }
}

TEST(CorrelatedSms, BadCorrelationIsAnErrorAtTheParameter) {
  const auto error = [](const std::string& body) -> std::string {
    try {
      clean("faults:\n  - {" + body + ", at: 0d, duration: 1d}\n");
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string high = error(
      "type: vendor_degradation, target: alpha, error_rate: 30%, per: borrower, "
      "affected_share: 20%");
  EXPECT_NE(high.find("test.yaml:"), std::string::npos) << high;
  EXPECT_NE(high.find("error_rate 30% is more than affected_share 20%"), std::string::npos) << high;
  const std::string spam = error("type: spam_filtering, per: borrower, affected_share: 20%");
  EXPECT_NE(spam.find("share 30% is more than affected_share 20%"), std::string::npos) << spam;
  const std::string unknown = error("type: spam_filtering, per: number");
  EXPECT_NE(unknown.find("test.yaml:"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("attempt,borrower"), std::string::npos) << unknown;
  const std::string share =
      error("type: vendor_degradation, target: alpha, error_rate: 5%, affected_share: 20%");
  EXPECT_NE(share.find("affected_share applies with `per: borrower` only"), std::string::npos)
      << share;
}

TEST(CoreCutover, SilencesBatchesUntilNoticed) {
  const Counters on = run_once(fault("type: core_cutover, at: 4d 20:00, detected_after: 2d"));
  EXPECT_EQ(on.batches_suppressed, 2u) << "the day-5 and day-6 batches";
  EXPECT_NEAR(rate(lost(on) - lost(off()), on.reminders_scheduled), 0.5 * 0.95, kHalf);
  EXPECT_GT(on.missed_payments, off().missed_payments);
  expect_inert("type: core_cutover, " + kAfterLastBatch + ", detected_after: 1d");
}

TEST(DataSyncLag, StaleListsMissBorrowersAndRemindPayers) {
  const Counters on =
      run_once(fault("type: data_sync_lag, lag: 2d, missing_share: 30%, at: 0d, duration: 15d"));
  // Every borrower is on the stale list (20,000 scheduled); a reminder is lost when its
  // borrower is missing (30 %) or, otherwise, by the vendor's 5 %.
  const double lost_share = 0.3 + 0.7 * 0.05;
  EXPECT_NEAR(1 - rate(on.reminders_delivered, on.reminders_scheduled), lost_share,
              five_se(lost_share, static_cast<double>(on.reminders_scheduled)));
  // Unprompted payers (80 %) pay uniformly over the 72 h before their deadline; those who
  // paid in the 33 h before their batch (day D-1, 09:00) are still on the 2-day-old list.
  const double reminded_payers = 0.8 * 33.0 / 72.0;
  EXPECT_NEAR(rate(on.reminders_after_payment, 20000), reminded_payers,
              five_se(reminded_payers, 20000));
  expect_inert("type: data_sync_lag, lag: 2d, missing_share: 30%, " + kAfterLastBatch);
}

TEST(NotificationPause, DropsOrDefersPausedBatches) {
  const Counters dropped = run_once(fault("type: notification_pause, at: 5d, duration: 1d"));
  EXPECT_EQ(dropped.batches_suppressed, 1u);
  // The day-5 batch (a quarter of the reminders) is not sent.
  EXPECT_NEAR(rate(lost(dropped) - lost(off()), dropped.reminders_scheduled), 0.25 * 0.95,
              kQuarter);
  const Counters deferred =
      run_once(fault("type: notification_pause, at: 5d, duration: 1d, resend: true"));
  // Sent at midnight (15 h late) instead; the borrowers who paid in those 15 h are not
  // re-sent. Of the batch's borrowers (those unpaid at 09:00: 1 - 0.8 × 33/72 = 0.633 of
  // them), unprompted payers pay in the 15 h with p = 0.8 × 15/72 = 0.167: a share
  // 0.167 / 0.633 = 0.263 of what dropping the batch loses.
  const double paid_meanwhile = (0.8 * 15.0 / 72.0) / (1 - 0.8 * 33.0 / 72.0);
  const double batch_loss = static_cast<double>(lost(dropped) - lost(off()));
  EXPECT_NEAR(static_cast<double>(lost(deferred) - lost(off())) / batch_loss, paid_meanwhile,
              five_se(paid_meanwhile, batch_loss));
  expect_inert("type: notification_pause, " + kAfterLastBatch);
}

TEST(FaultSchedule, RecurrenceAndCorrelatedRandomOnsets) {
  // Two 1-hour silent drops a day apart cover the day-5 and day-6 batches.
  const Counters twice = run_once(fault(
      "type: vendor_outage, target: alpha, at: 5d 08:30, duration: 1h, every: 1d, repeat: 2"));
  EXPECT_NEAR(rate(lost(twice) - lost(off()), off().reminders_scheduled), 0.5 * 0.95, kHalf);
  // The same group draws the same onset: alpha and beta fail together. Without a group
  // their onsets are drawn independently.
  auto onsets = [](const std::string& group_a, const std::string& group_b) {
    const std::string faults =
        "faults:\n"
        "  - {type: vendor_outage, target: alpha, at: 4d, onset_spread: 3d, duration: 12h, "
        "group: " +
        group_a +
        "}\n"
        "  - {type: vendor_outage, target: beta, at: 4d, onset_spread: 3d, duration: 12h, group: " +
        group_b + "}\n";
    const Scenario s = parse_text(small_scenario(faults, "  baseline: {}\n"));
    const Population p = Population::generate(s, 99);
    World w(s, p, 99);
    w.configure(s.strategies[0]);
    return std::pair{w.vendor("alpha").outages().at(0).start,
                     w.vendor("beta").outages().at(0).start};
  };
  const auto [a1, b1] = onsets("g", "g");
  EXPECT_EQ(a1, b1);
  EXPECT_GE(a1, 4 * kDay);
  EXPECT_LT(a1, 7 * kDay);
  const auto [a2, b2] = onsets("-", "-");
  EXPECT_NE(a2, b2);
}

TEST(FaultSchedule, TheWorldAppliesTheScheduleWindows) {
  // The model's windows are the Schedule's (sim/scenario/schedule.h), the one source that
  // results.json, the SimGrid platform and the live adapters read too.
  const Scenario s = parse_text(small_scenario(
      "faults:\n"
      "  - {type: vendor_outage, target: alpha, at: 4d, onset_spread: 2d, duration: 3h, every: "
      "1d, repeat: 4}\n",
      "  baseline: {}\n"));
  const std::uint64_t seed = replication_seed(s.seed, 0, 1);
  const Population p = Population::generate(s, seed);
  World w(s, p, seed);
  w.configure(s.strategies[0]);
  const Schedule schedule = Schedule::of(s, seed);
  const std::vector<Window>& expected = schedule.fault(0).windows;
  const std::vector<OutageWindow>& applied = w.vendor("alpha").outages();
  ASSERT_EQ(applied.size(), expected.size());
  for (std::size_t k = 0; k < applied.size(); ++k) {
    EXPECT_EQ(applied[k].start, expected[k].start) << k;
    EXPECT_EQ(applied[k].end, expected[k].end) << k;
  }
}

}  // namespace
}  // namespace faultline
