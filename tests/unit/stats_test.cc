// Confidence intervals: exact values against published t tables, and coverage checked by
// simulation — the 95 % interval must cover the true mean in 95 % ± 3 % of 1,000
// independent experiments (±3 % is 4.4 standard errors of a binomial proportion at 1,000).
#include "sim/experiment/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/random/stream.h"

namespace faultline {
namespace {

TEST(Stats, StudentTQuantilesMatchTables) {
  EXPECT_NEAR(t_quantile(0.95, 1), 12.7062, 1e-4);
  EXPECT_NEAR(t_quantile(0.95, 10), 2.2281, 1e-4);
  EXPECT_NEAR(t_quantile(0.99, 29), 2.7564, 1e-4);
  EXPECT_NEAR(t_quantile(0.95, 1e6), 1.9600, 1e-4);
}

TEST(Stats, EstimateOfAKnownSample) {
  const std::vector<double> v{1, 2, 3, 4};
  const Estimate e = estimate(v, 0.95);
  EXPECT_EQ(e.n, 4u);
  EXPECT_DOUBLE_EQ(e.mean, 2.5);
  EXPECT_NEAR(e.sd, 1.2909944, 1e-7);
  EXPECT_NEAR(e.half_width, 3.1824463 * 1.2909944 / 2, 1e-6);
  EXPECT_DOUBLE_EQ(e.ci_low, e.mean - e.half_width);
}

TEST(Stats, SingleValueHasNoInterval) {
  const std::vector<double> v{3};
  const Estimate e = estimate(v, 0.95);
  EXPECT_DOUBLE_EQ(e.mean, 3);
  EXPECT_TRUE(std::isnan(e.half_width));
  EXPECT_TRUE(std::isnan(e.ci_low));
  EXPECT_TRUE(std::isnan(e.ci_high));
  EXPECT_THROW(estimate(std::vector<double>{}, 0.95), std::invalid_argument);
}

TEST(Stats, PairedDifferenceUsesThePairs) {
  // Large common noise, small constant difference: pairing removes the noise entirely.
  const std::vector<double> a{10.1, 20.1, 30.1, 40.1}, b{10, 20, 30, 40};
  const Estimate d = paired_difference(a, b, 0.95);
  EXPECT_NEAR(d.mean, 0.1, 1e-12);
  EXPECT_NEAR(d.half_width, 0.0, 1e-9);
  EXPECT_THROW(paired_difference(a, std::vector<double>{1}, 0.95), std::invalid_argument);
}

TEST(Stats, NinetyFivePercentIntervalCoversTheTruth) {
  RandomStream r(2026, "test/coverage");
  int covered = 0;
  for (int experiment = 0; experiment < 1000; ++experiment) {
    std::vector<double> sample(10);
    for (double& x : sample) x = r.normal(5.0, 2.0);
    const Estimate e = estimate(sample, 0.95);
    covered += e.ci_low <= 5.0 && 5.0 <= e.ci_high;
  }
  EXPECT_NEAR(covered / 1000.0, 0.95, 0.03);
}

}  // namespace
}  // namespace faultline
