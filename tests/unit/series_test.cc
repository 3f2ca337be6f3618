// Time series binning and the latency histogram's quantiles.
#include "sim/metrics/series.h"

#include <gtest/gtest.h>

#include <cmath>

namespace faultline {
namespace {

TEST(TimeSeries, HourlyBinsAndCoarserBinsForLongHorizons) {
  TimeSeries s(35 * kDay);
  EXPECT_EQ(s.bin_width(), kHour);
  EXPECT_EQ(s.bins(), 35u * 24u);
  s.add(Series::payments, 0);
  s.add(Series::payments, kHour - 1);
  s.add(Series::payments, kHour);
  s.add(Series::payments, 35 * kDay);  // at the horizon: outside, ignored
  EXPECT_EQ(s.at(Series::payments, 0), 2u);
  EXPECT_EQ(s.at(Series::payments, 1), 1u);
  EXPECT_EQ(s.at(Series::sms_sent, 0), 0u);
  TimeSeries year(365 * kDay);
  EXPECT_LE(year.bins(), TimeSeries::kMaxBins);
  EXPECT_EQ(year.bin_width(), 5 * kHour);
}

TEST(LatencyHistogram, QuantilesAreUpperEdgesWithinOneBin) {
  LatencyHistogram h;
  EXPECT_TRUE(std::isnan(h.quantile_s(0.5)));
  for (int i = 1; i <= 1000; ++i) h.add(i * kSecond);  // uniform 1..1000 s
  EXPECT_EQ(h.count(), 1000u);
  const double step = std::pow(10.0, 1.0 / LatencyHistogram::kPerDecade);  // 12 % per bin
  for (const double q : {0.5, 0.95, 0.99}) {
    const double truth = q * 1000;
    EXPECT_GE(h.quantile_s(q), truth) << q;
    EXPECT_LE(h.quantile_s(q), truth * step * 1.001) << q;
  }
  LatencyHistogram sub_second;
  sub_second.add(200 * kMillisecond);
  EXPECT_DOUBLE_EQ(sub_second.quantile_s(0.5), 1.0);
  LatencyHistogram merged = h;
  merged.merge(sub_second);
  EXPECT_EQ(merged.count(), 1001u);
}

}  // namespace
}  // namespace faultline
