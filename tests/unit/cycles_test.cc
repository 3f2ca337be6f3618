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
