// Several instalments per borrower (population.cycles, sim/model/cycles.h): known answers
// where the behaviour is forced, one cycle exactly as before, and determinism.
#include "sim/model/cycles.h"

#include <gtest/gtest.h>

#include "scenario_fixture.h"
#include "sim/metrics/metrics.h"

namespace faultline {
namespace {

using namespace testing;

Counters run_cycles_once(const Scenario& s, int strategy = 0) {
  const std::uint64_t seed = replication_seed(s.seed, 0, 0);
  const Population p = Population::generate(s, seed);
  return run_cycles(s, p, s.strategies.at(static_cast<std::size_t>(strategy)), seed).counters;
}

Scenario with_cycles(int cycles, const std::string& behaviour) {
  return parse_text(small_scenario("", "  baseline: {}\n", kTwoVendors,
                                   "  cycles: " + std::to_string(cycles) +
                                       "\n  cycle: 1 month\n  behaviour: " + behaviour + "\n"));
}

TEST(Cycles, NobodyPaysSoEveryoneRollsOneBucketACycle) {
  // Everyone forgets, no reminder helps, nobody cures, nobody adopts autopay.
  const Scenario s =
      with_cycles(3,
                  "{forget_without_reminder: 100%, pay_after_reminder: 0%, cure_within_grace: 0%, "
                  "forget_by_bucket: [100%, 100%, 100%], autopay_after_late_fee: 0%}");
  const Counters c = run_cycles_once(s);
  const std::uint64_t n = s.population.borrowers;
  EXPECT_EQ(c.payments_due, 3 * n);
  EXPECT_EQ(c.missed_payments, 3 * n);
  EXPECT_EQ(c.cycles.cycles, 3u);
  EXPECT_EQ(c.cycles.last[3], n) << "three missed instalments: 60+ days past due";
  EXPECT_EQ(c.cycles.ever_30dpd, n);
  EXPECT_EQ(c.cycles.rolls[0][1], n);
  EXPECT_EQ(c.cycles.rolls[1][2], n);
  EXPECT_EQ(c.cycles.rolls[2][3], n);
  const MetricValues v = compute_metrics(c);
  EXPECT_EQ(v[static_cast<int>(Metric::roll_rate_current_to_1_29)], 1.0);
  EXPECT_EQ(v[static_cast<int>(Metric::dpd_60_plus_rate)], 1.0);
  EXPECT_EQ(v[static_cast<int>(Metric::dpd_30_plus_rate)], 1.0);
}

TEST(Cycles, EveryCycleIsRecordedInOneRun) {
  // The same forced behaviour, cycle by cycle: after cycle k everyone is k behind.
  const Scenario s =
      with_cycles(3,
                  "{forget_without_reminder: 100%, pay_after_reminder: 0%, cure_within_grace: 0%, "
                  "forget_by_bucket: [100%, 100%, 100%], autopay_after_late_fee: 0%}");
  const std::uint64_t seed = replication_seed(s.seed, 0, 0);
  const Population p = Population::generate(s, seed);
  const RunOutput out = run_cycles(s, p, s.strategies.front(), seed);
  ASSERT_EQ(out.cycle_metrics.size(), 3u);
  auto at = [&](std::size_t cycle, Metric m) {
    for (std::size_t i = 0; i < kCycleMetricCount; ++i)
      if (kCycleMetrics[i] == m) return out.cycle_metrics.at(cycle)[i];
    ADD_FAILURE() << "not a cycle metric";
    return 0.0;
  };
  const Metric bucket[] = {Metric::dpd_1_29_rate, Metric::dpd_30_59_rate, Metric::dpd_60_plus_rate};
  for (std::size_t k = 0; k < 3; ++k) {
    for (std::size_t b = 0; b < 3; ++b) EXPECT_EQ(at(k, bucket[b]), b == k ? 1.0 : 0.0) << k;
    EXPECT_EQ(at(k, Metric::payments_due), static_cast<double>(s.population.borrowers));
    EXPECT_EQ(at(k, Metric::missed_payment_rate), 1.0);
    EXPECT_EQ(at(k, Metric::ever_30dpd_rate), k >= 1 ? 1.0 : 0.0);
  }
  // A roll rate is over its own cycle: nobody was current at the start of cycle 2.
  EXPECT_EQ(at(0, Metric::roll_rate_current_to_1_29), 1.0);
  EXPECT_EQ(at(1, Metric::roll_rate_current_to_1_29), 0.0);
  EXPECT_EQ(at(1, Metric::roll_rate_1_29_to_30_59), 1.0);
  EXPECT_EQ(at(2, Metric::roll_rate_30_59_to_60_plus), 1.0);
  // The last cycle's state is the run's end state, bit for bit.
  const MetricValues end = compute_metrics(out.counters);
  for (const Metric m :
       {Metric::dpd_1_29_rate, Metric::dpd_30_59_rate, Metric::dpd_60_plus_rate,
        Metric::dpd_30_plus_rate, Metric::ever_30dpd_rate, Metric::autopay_adopted})
    EXPECT_EQ(at(2, m), end[static_cast<std::size_t>(m)]);
}

TEST(Cycles, PerCycleStateMatchesTheRunEndingThere) {
  // Realistic behaviour: the end of cycle 2 of a 3-cycle run is the end state of the same
  // borrowers run for 2 cycles (cycles share their seeds), so one run replaces the sweep.
  const std::string behaviour = "{forget_by_bucket: [50%, 65%, 80%], autopay_after_late_fee: 5%}";
  const Scenario three = with_cycles(3, behaviour), two = with_cycles(2, behaviour);
  const std::uint64_t seed = replication_seed(three.seed, 0, 0);
  const Population p = Population::generate(three, seed);
  const RunOutput long_run = run_cycles(three, p, three.strategies.front(), seed);
  const MetricValues short_end = compute_metrics(run_cycles_once(two));
  for (std::size_t i = 0; i < kCycleMetricCount; ++i) {
    const Metric m = kCycleMetrics[i];
    if (m == Metric::dpd_1_29_rate || m == Metric::dpd_30_plus_rate ||
        m == Metric::ever_30dpd_rate || m == Metric::autopay_adopted) {
      EXPECT_EQ(long_run.cycle_metrics.at(1)[i], short_end[static_cast<std::size_t>(m)])
          << kMetrics[static_cast<std::size_t>(m)].name;
    }
  }
  EXPECT_GT(long_run.cycle_metrics.at(1)[7], 0.0) << "some borrowers are behind";
}

TEST(Cycles, ALateFeeEnrolsInAutopayAndAutopayPaysOnTime) {
  // Everyone misses the first instalment and then enrols (Gathergood et al. 2019's
  // switchers): every later instalment is paid on time by autopay, and every borrower is
  // current again at the end.
  const Scenario s =
      with_cycles(2,
                  "{forget_without_reminder: 100%, pay_after_reminder: 0%, cure_within_grace: 0%, "
                  "forget_by_bucket: [100%, 100%, 100%], autopay_after_late_fee: 100%}");
  const Counters c = run_cycles_once(s);
  const std::uint64_t n = s.population.borrowers;
  EXPECT_EQ(c.missed_payments, n);
  EXPECT_EQ(c.paid_on_time, n);
  EXPECT_EQ(c.cycles.autopay_adopted, n);
  EXPECT_EQ(c.cycles.rolls[1][0], n);
  EXPECT_EQ(c.cycles.last[0], n);
}

TEST(Cycles, TheFirstCycleIsTheOneCycleRun) {
  // Cycle 0 uses the run seed and the unshifted schedule, later cycles see the fault from
  // their own start (here: not at all); the cycle metrics have no value in a one-cycle run.
  const std::string faults =
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n";
  const Scenario one = parse_text(small_scenario(faults, "  baseline: {}\n"));
  const Counters c1 = run_once(one);
  const Scenario two = parse_text(
      small_scenario(faults, "  baseline: {}\n", kTwoVendors, "  cycles: 2\n  cycle: 30d\n"));
  const Counters c2 = run_cycles_once(two);
  EXPECT_EQ(c2.payments_due, 2 * c1.payments_due);
  // The outage hits only the first cycle: the second loses only the vendors' everyday 5 %.
  EXPECT_GT(c1.reminders_scheduled - c1.reminders_delivered,
            (c2.reminders_scheduled - c2.reminders_delivered) -
                (c1.reminders_scheduled - c1.reminders_delivered));
  EXPECT_TRUE(std::isnan(compute_metrics(c1)[static_cast<int>(Metric::dpd_1_29_rate)]));
  // Deterministic: the same run twice gives the same metrics, bit for bit.
  EXPECT_TRUE(identical(compute_metrics(c2), compute_metrics(run_cycles_once(two))));
}

TEST(Cycles, ParserChecksCyclesAndCycle) {
  auto error_of = [](const std::string& extra) {
    try {
      parse_text(small_scenario("", "  baseline: {}\n", kTwoVendors, extra));
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_NE(error_of("  cycles: 0\n").find("expected 1 to 120"), std::string::npos);
  EXPECT_NE(error_of("  cycle: 36h\n").find("whole days"), std::string::npos);
  EXPECT_NE(error_of("  behaviour: {forget_by_bucket: [50%]}\n").find("3 probabilities"),
            std::string::npos);
  EXPECT_EQ(error_of("  cycles: 12\n  cycle: 1 month\n"), "<no error>");
}

}  // namespace
}  // namespace faultline
