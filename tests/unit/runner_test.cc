// The experiment runner: replication seeds are stable, results do not depend on the
// number of threads, and a single replication re-run alone reproduces its record.
#include "sim/experiment/runner.h"

#include <gtest/gtest.h>

#include "scenario_fixture.h"

namespace faultline {
namespace {

Scenario fixture() {
  return testing::parse_text(testing::small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n",
      "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n"));
}

RunControl jobs(int n) {
  RunControl o;
  o.jobs = n;
  return o;
}

bool same(const RunRecord& a, const RunRecord& b) {
  return a.strategy == b.strategy && a.replication == b.replication && a.run_seed == b.run_seed &&
         identical(a.metrics, b.metrics) && a.events == b.events;
}

TEST(Runner, ReplicationSeedIsAPureFunctionOfItsInputs) {
  EXPECT_EQ(replication_seed(1, 0, 3), replication_seed(1, 0, 3));
  EXPECT_NE(replication_seed(1, 0, 3), replication_seed(1, 0, 4));
  EXPECT_NE(replication_seed(1, 0, 3), replication_seed(2, 0, 3));
  EXPECT_NE(replication_seed(1, 0, 3), replication_seed(1, 1, 3));
}

TEST(Runner, ResultsDoNotDependOnTheNumberOfJobs) {
  const Scenario s = fixture();
  const ExperimentResult one = run_experiment(s, jobs(1));
  const ExperimentResult two = run_experiment(s, jobs(2));
  const ExperimentResult many = run_experiment(s, jobs(7));
  ASSERT_EQ(one.records.size(), 8u);
  for (std::size_t i = 0; i < one.records.size(); ++i) {
    EXPECT_TRUE(same(one.records[i], two.records[i])) << i;
    EXPECT_TRUE(same(one.records[i], many.records[i])) << i;
  }
}

TEST(Runner, OneReplicationAloneReproducesItsRecord) {
  const Scenario s = fixture();
  const ExperimentResult all = run_experiment(s, jobs(2));
  const ExperimentResult third = run_experiment(s, jobs(1), 2, 3);
  ASSERT_EQ(third.records.size(), 2u);
  EXPECT_TRUE(same(third.records[0], all.records[4]));
  EXPECT_TRUE(same(third.records[1], all.records[5]));
}

TEST(Runner, StrategiesOfAReplicationShareTheirDraws) {
  // Common random numbers: same population and behaviour, so the number of obligations
  // and the reminder due list are identical across strategies in each replication.
  const ExperimentResult r = run_experiment(fixture(), jobs(2));
  for (std::size_t i = 0; i < r.records.size(); i += 2) {
    EXPECT_EQ(r.records[i].run_seed, r.records[i + 1].run_seed);
    EXPECT_EQ(r.records[i].metrics[static_cast<int>(Metric::payments_due)],
              r.records[i + 1].metrics[static_cast<int>(Metric::payments_due)]);
    EXPECT_EQ(r.records[i].metrics[static_cast<int>(Metric::reminders_scheduled)],
              r.records[i + 1].metrics[static_cast<int>(Metric::reminders_scheduled)]);
  }
  EXPECT_FALSE(identical(r.records[0].metrics, r.records[2].metrics)) << "replications differ";
}

}  // namespace
}  // namespace faultline
