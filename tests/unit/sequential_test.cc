// Sequential sampling (the pipeline's replication loop with precision targets): it stops
// at the first round where every target is met, never runs past the maximum, decides the
// same way for any number of jobs, and its records are those of a fixed-size run of the
// same length (same replication seeds).
#include "sim/experiment/sequential.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "scenario_fixture.h"
#include "sim/experiment/stats.h"
#include "sim/pipeline/experiment.h"

namespace faultline {
namespace {

const std::string kSmall = testing::small_scenario(
    "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n",
    "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n");

// The small scenario (4 replications unless `replications` says otherwise) + `tail`.
Scenario fixture(const std::string& tail, int replications = 4) {
  std::string text = kSmall + tail;
  text.replace(text.find("replications: 4"), 15, "replications: " + std::to_string(replications));
  return testing::parse_text(text);
}

// The pipeline's run of `s` on n threads: its records and precision outcome.
ExperimentResult run_precise(const Scenario& s, int n) {
  ExperimentOptions o;
  o.jobs = n;
  return Experiment(s, o).run().experiment;
}

RunControl jobs(int n) {
  RunControl o;
  o.jobs = n;
  return o;
}

TEST(Sequential, NextRoundGrowsByAQuarterToDoubleWithinTheMaximum) {
  TargetOutcome wants_1000;
  wants_1000.needed = 1000;
  TargetOutcome wants_5;
  wants_5.needed = 5;
  EXPECT_EQ(next_replications(4, {wants_1000}, 200), 8) << "at most double";
  EXPECT_EQ(next_replications(40, {wants_5}, 200), 50) << "at least a quarter more";
  EXPECT_EQ(next_replications(3, {wants_5}, 200), 5) << "at least 2 more";
  EXPECT_EQ(next_replications(40, {wants_5, {PrecisionTarget{}, 0, false, 64}}, 200), 64)
      << "the widest decides";
  EXPECT_EQ(next_replications(150, {wants_1000}, 200), 200) << "never past the maximum";
}

TEST(Sequential, StopsAtTheFirstRoundThatMeetsTheTarget) {
  const Scenario s =
      fixture("precision: {metrics: {missed_payment_rate: 0.2%}, max_replications: 100}\n", 3);
  ASSERT_TRUE(s.precision.enabled());
  const ExperimentResult r = run_precise(s, 2);
  const PrecisionOutcome& p = r.precision;
  ASSERT_TRUE(p.enabled);
  EXPECT_TRUE(p.met);
  ASSERT_GE(p.rounds.size(), 2u) << "3 replications are not enough for 0.2 %";
  EXPECT_EQ(p.rounds.front(), 3);
  EXPECT_EQ(p.rounds.back(), p.replications);
  EXPECT_LT(p.replications, 100);
  EXPECT_LE(p.targets[0].achieved, 0.002);
  EXPECT_EQ(r.records.size(), static_cast<std::size_t>(p.replications) * 2);
  // The round before did not meet it: sampling did not go on needlessly.
  Scenario shorter = s;
  shorter.precision = {};
  shorter.replications = p.rounds[p.rounds.size() - 2];
  const ExperimentResult before = run_experiment(shorter, jobs(2));
  const auto checked = check_precision(before.points, before, s.precision.targets, s.confidence);
  EXPECT_FALSE(checked[0].met) << "achieved " << checked[0].achieved;
  // Replication r has the same seed and record whatever round ran it: the fixed-size run
  // is the start of the sequential one.
  for (std::size_t i = 0; i < before.records.size(); ++i) {
    EXPECT_EQ(before.records[i].run_seed, r.records[i].run_seed) << i;
    EXPECT_TRUE(identical(before.records[i].metrics, r.records[i].metrics)) << i;
  }
}

TEST(Sequential, RespectsTheMaximumWhenTheTargetIsOutOfReach) {
  const Scenario s =
      fixture("precision: {metrics: {missed_payment_rate: 0.0001%}, max_replications: 7}\n");
  const ExperimentResult r = run_precise(s, 2);
  EXPECT_FALSE(r.precision.met);
  EXPECT_EQ(r.precision.replications, 7);
  EXPECT_EQ(r.precision.rounds, (std::vector<int>{4, 7}))
      << "starts at `replications`, capped at the maximum";
  EXPECT_GT(r.precision.targets[0].achieved, 0.000001);
  EXPECT_EQ(r.records.size(), 7u * 2);
}

TEST(Sequential, DecidesTheSameForAnyNumberOfJobs) {
  const Scenario s = fixture("precision: {metrics: {missed_payment_rate: 0.2%}}\n", 2);
  const ExperimentResult a = run_precise(s, 1), b = run_precise(s, 2);
  EXPECT_EQ(a.precision.rounds, b.precision.rounds);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i)
    EXPECT_TRUE(identical(a.records[i].metrics, b.records[i].metrics)) << i;
}

TEST(Sequential, EveryPointAndStrategyMustMeetTheTarget) {
  // Two sweep points: the achieved half-width is the widest over points × strategies.
  const Scenario s = fixture(
      "sweep:\n  faults[0].duration: [12h, 2d]\nprecision: {metrics: {missed_payment_rate: "
      "0.2%}}\n");
  ExperimentOptions options;
  options.jobs = 2;
  const Experiment experiment(s, options);
  const ExperimentResult r = experiment.run().experiment;
  ASSERT_EQ(experiment.points().size(), 2u);
  const std::size_t reps = static_cast<std::size_t>(r.precision.replications);
  double widest = 0;
  for (std::size_t p = 0; p < 2; ++p)
    for (std::size_t st = 0; st < 2; ++st) {
      std::vector<double> v;
      for (std::size_t k = 0; k < reps; ++k)
        v.push_back(r.records[(p * reps + k) * 2 + st]
                        .metrics[static_cast<std::size_t>(Metric::missed_payment_rate)]);
      // A rate: its interval is Wilson's (issue 19), and the target judges that one.
      widest = std::max(widest, rate_estimate(v, 0.95).half_width);
    }
  EXPECT_DOUBLE_EQ(r.precision.targets[0].achieved, widest);
  EXPECT_TRUE(r.precision.met);
}

TEST(Sequential, TargetsAreParsedInTheMetricsUnit) {
  const auto t =
      parse_precision_targets("missed_payment_rate=0.1%,delivery_latency_p95_s=30s,sms_sent=50");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_DOUBLE_EQ(t[0].half_width, 0.001);
  EXPECT_DOUBLE_EQ(t[1].half_width, 30);
  EXPECT_DOUBLE_EQ(t[2].half_width, 50);
  EXPECT_THROW(parse_precision_targets("missed_payment_rat=0.1%"), std::invalid_argument);
  EXPECT_THROW(parse_precision_targets("missed_payment_rate"), std::invalid_argument);
  EXPECT_THROW(parse_precision_targets("missed_payment_rate=0"), std::invalid_argument);
  EXPECT_THROW(parse_precision_targets("missed_payment_rate=1%,missed_payment_rate=2%"),
               std::invalid_argument);
}

TEST(Sequential, PrecisionBlockErrorsAreLocated) {
  const auto error_of = [](const std::string& block) {
    try {
      fixture(block);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  const std::string line =
      std::to_string(1 + std::count(kSmall.begin(), kSmall.end(), '\n'));  // the tail's
  EXPECT_EQ(error_of("precision: {metrics: {missed_payment_rat: 0.1%}}\n")
                .rfind("test.yaml:" + line +
                           ":23: precision.metrics: unknown key 'missed_payment_rat' (did you mean "
                           "'missed_payment_rate'?)",
                       0),
            0u);
  EXPECT_EQ(error_of("precision: {metrics: {missed_payment_rate: 3 days}}\n")
                .rfind("test.yaml:" + line + ":44: precision.metrics.missed_payment_rate:", 0),
            0u)
      << error_of("precision: {metrics: {missed_payment_rate: 3 days}}\n");
  EXPECT_NE(error_of("precision: {metrics: {}}\n").find("name at least one metric"),
            std::string::npos);
  EXPECT_NE(error_of("precision: {metrics: {sms_sent: 5}, max_replications: 1}\n")
                .find("expected 2 to 100000"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline
