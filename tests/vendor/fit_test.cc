// `faultline fit` recovers known parameters from a log the simulator's model produced
// (issue 15's must-hold): tests/vendor/fit-known.yaml → 12,000 simulated messages → fit.
// Each of the 9 estimates is checked at 99.9 % confidence (Bonferroni: a family-wise
// error below 1 % if the fit is right), and each interval must also be narrow — so a
// broken fit cannot pass by returning wide intervals — and must exclude a wrong value.
#include "adapters/vendor/fit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/vendor/delivery_log.h"
#include "adapters/vendor/traffic_log.h"
#include "sim/model/plugin.h"

namespace faultline::vendor {
namespace {

void expect_covers(const Interval& i, double truth, double max_relative_half_width,
                   const char* what) {
  ASSERT_TRUE(i.ok()) << what;
  EXPECT_LE(i.low, truth) << what << " = " << i.value << " [" << i.low << ", " << i.high << "]";
  EXPECT_GE(i.high, truth) << what << " = " << i.value << " [" << i.low << ", " << i.high << "]";
  EXPECT_LE((i.high - i.low) / 2, max_relative_half_width * truth) << what << " is too wide";
}

class FitRecovery : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Scenario s = load_scenario(FAULTLINE_SOURCE_DIR "/tests/vendor/fit-known.yaml");
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("faultline_fit_" + std::to_string(::getpid()) + ".jsonl"))
                                 .string();
    TrafficOptions o;
    o.messages = 12000;
    o.rate_per_s = 90;  // 90 % of capacity: the queue backs up often enough to see it
    o.seed = 20261130;
    write_simulated_log(s, o, path);
    const DeliveryLog log = read_delivery_log(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(log.bad_rows.empty()) << log.bad_rows.front().why;
    result_ = new FitResult(fit_log(log, 0.999));
  }
  static void TearDownTestSuite() { delete result_; }
  static FitResult* result_;
};
FitResult* FitRecovery::result_ = nullptr;

TEST_F(FitRecovery, VendorParameters) {
  ASSERT_EQ(result_->vendors.size(), 1u);
  const VendorFit& v = result_->vendors[0];
  EXPECT_EQ(v.name, "alpha");
  expect_covers(v.failure_probability, 0.04, 0.25, "failure_probability");
  expect_covers(v.delay.first_attempt_failure, 0.30, 0.10, "first_attempt_failure");
  expect_covers(v.delay.offline_mean_s, 2 * 3600.0, 0.10, "offline_mean");
  expect_covers(v.capacity_per_s, 100, 0.01, "capacity");
  expect_covers(v.receipt_delay_s, 5, 0.01, "receipt_delay");
  EXPECT_GT(v.delay.censored, 50u) << "validity 6h must censor some store-and-forward messages";
  // Power: the calibration default (38 %) is a wrong answer here, and must be excluded.
  EXPECT_GT(v.delay.first_attempt_failure.low > 0.38 || v.delay.first_attempt_failure.high < 0.38,
            0);
  // The model is the truth, so the goodness-of-fit test must not reject it at 0.1 %.
  EXPECT_GT(v.delay.ks_p, 0.001);
  EXPECT_GT(v.homogeneity_p, 0.001);
}

TEST_F(FitRecovery, CarrierParameters) {
  ASSERT_EQ(result_->carriers.size(), 2u);
  const CarrierFit& east = result_->carriers[0];
  const CarrierFit& west = result_->carriers[1];
  ASSERT_EQ(east.name, "east");
  ASSERT_EQ(west.name, "west");
  expect_covers(east.delay.median_s, 7, 0.05, "east delay_median");
  expect_covers(east.delay.sigma, 0.5, 0.05, "east delay_sigma");
  expect_covers(west.delay.median_s, 12, 0.06, "west delay_median");
  expect_covers(west.delay.sigma, 0.8, 0.05, "west delay_sigma");
  EXPECT_GT(east.delay.ks_p, 0.001);
  EXPECT_GT(west.delay.ks_p, 0.001);
}

TEST(FitDelays, TooFewPointsIsSaidNotGuessed) {
  const DelayFit f = fit_delays({7, 8, 9}, {}, 0.95);
  EXPECT_FALSE(f.median_s.ok());
  EXPECT_NE(f.note.find("too few"), std::string::npos);
}

TEST(FitDelays, TheModelCdfIsACdf) {
  double previous = 0;
  for (double x = 0.5; x < 1e6; x *= 1.5) {
    const double h = delay_cdf(x, 7, 0.5, 0.38, 86400);
    EXPECT_GE(h, previous - 1e-12) << x;
    previous = h;
  }
  EXPECT_NEAR(previous, 1, 1e-3);
  // Without store and forward it is the lognormal's CDF: half the mass below the median.
  EXPECT_NEAR(delay_cdf(7, 7, 0.5, 1e-12, 86400), 0.5, 1e-9);
  // With it, 38 % of the mass moves beyond the bulk: at 60 s the CDF is about 62 %.
  EXPECT_NEAR(delay_cdf(60, 7, 0.5, 0.38, 86400), 0.62, 0.01);
}

}  // namespace
}  // namespace faultline::vendor
