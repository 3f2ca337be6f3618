// The child → parent wire format carries a run's output exactly: a native run's counters,
// series and histograms survive encode/decode bit for bit, and errors come back as the
// same exception types.
#include "sim/engines/simgrid/wire.h"

#include <gtest/gtest.h>

#include <cstring>

#include "sim/model/population.h"
#include "simgrid_fixture.h"

namespace faultline {
namespace {

// Bit for bit: metrics that are NaN (no data) compare equal too.
bool same_metrics(const MetricValues& a, const MetricValues& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(Wire, RoundTripsARealRun) {
  const Scenario s =
      testing::parse_text(testing::read_source("scenarios/flagship-vendor-outage.yaml"));
  Scenario small = s;
  small.population.borrowers = 5000;
  const std::uint64_t seed = replication_seed(small.seed, 0, 0);
  const Population p = Population::generate(small, seed);
  World w(small, p, seed);
  w.configure(small.strategies[0]);
  SimgridRunOutput out;
  out.run = w.run();
  out.network_lost = 7;
  out.late_starts = 3;
  const SimgridRunOutput back = simgrid_engine::decode(simgrid_engine::encode_output(out), small);
  EXPECT_TRUE(same_metrics(compute_metrics(back.run.counters), compute_metrics(out.run.counters)));
  EXPECT_EQ(back.run.counters.events, out.run.counters.events);
  EXPECT_EQ(back.run.kernel.events_processed, out.run.kernel.events_processed);
  EXPECT_EQ(back.network_lost, 7u);
  EXPECT_EQ(back.late_starts, 3u);
  const TimeSeries& a = out.run.counters.series;
  const TimeSeries& b = back.run.counters.series;
  ASSERT_EQ(a.bins(), b.bins());
  for (int k = 0; k < kSeriesCount; ++k)
    for (std::size_t i = 0; i < a.bins(); ++i)
      ASSERT_EQ(a.at(static_cast<Series>(k), i), b.at(static_cast<Series>(k), i));
  for (int i = 0; i < LatencyHistogram::kBins; ++i)
    ASSERT_EQ(out.run.counters.delivery_latency.at(i), back.run.counters.delivery_latency.at(i));
}

TEST(Wire, ErrorsComeBackAsTheirTypes) {
  const Scenario s =
      testing::parse_text(testing::read_source("scenarios/flagship-vendor-outage.yaml"));
  using simgrid_engine::WireStatus;
  try {
    simgrid_engine::decode(simgrid_engine::encode_error(WireStatus::kScenarioError,
                                                        "no host 'core'", "p.yaml", {3, 4}),
                           s);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:3:4: no host 'core'");
  }
  EXPECT_THROW(
      simgrid_engine::decode(simgrid_engine::encode_error(WireStatus::kRunLimit, "limit"), s),
      RunLimitError);
  EXPECT_THROW(simgrid_engine::decode("xx", s), std::runtime_error);
}

}  // namespace
}  // namespace faultline
