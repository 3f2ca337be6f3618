// Cross-validation: where the network does not matter, the SimGrid engine (which adds
// SimGrid transfers for every SMS leg and the batch export) and the native engine (which
// has no network) must agree. Both engines run the same replications with the same run
// seeds, so they are compared replication by replication (paired), not as two
// independent samples:
// - every count and rate metric is identical in every replication: the paired
//   differences are all exactly zero (a modelling difference — a lost batch, a skipped
//   send window — changes them at once, network_scenario_test);
// - a latency quantile may only grow, by the network's transfer time: every paired
//   difference is >= 0 (each message arrives no earlier, and a quantile — interpolated in
//   its histogram bin or not — is monotone in the latencies), and the upper end of the 95 %
//   interval of the mean difference is under a second (the platform's legs add
//   milliseconds to tens of milliseconds per message). Measured (20 replications): means
//   of +0.02 to +0.25 s on quantiles of 2 to 520 s.
#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <vector>

#include "simgrid_fixture.h"

namespace faultline {
namespace {

bool is_latency(const MetricInfo& m) {
  return m.unit == "seconds" && m.name.find("latency") != std::string_view::npos;
}

void expect_engines_agree(const std::string& text) {
  Scenario native = testing::parse_text(text);
  native.replications = 20;
  Scenario simgrid = native;
  simgrid.engine = EngineKind::kSimgrid;
  const ExperimentResult a = testing::run(native), b = testing::run(simgrid);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    ASSERT_EQ(a.records[i].run_seed, b.records[i].run_seed);
    ASSERT_EQ(a.records[i].strategy, b.records[i].strategy);
  }
  for (int st = 0; st < static_cast<int>(native.strategies.size()); ++st) {
    const std::string strategy = native.strategies[static_cast<std::size_t>(st)].name;
    for (const MetricInfo& m : kMetrics) {
      const auto k = static_cast<std::size_t>(m.id);
      std::vector<double> differences, natives;
      for (std::size_t i = 0; i < a.records.size(); ++i) {
        if (a.records[i].strategy != st) continue;
        const double x = a.records[i].metrics[k], y = b.records[i].metrics[k];
        EXPECT_EQ(std::isnan(x), std::isnan(y)) << strategy << " " << m.name << " run " << i;
        if (std::isnan(x) || std::isnan(y)) continue;
        differences.push_back(y - x);
        natives.push_back(x);
      }
      const std::string what = native.name + " / " + strategy + " / " + std::string(m.name);
      if (!is_latency(m)) {
        for (const double d : differences) EXPECT_EQ(d, 0.0) << what;
        continue;
      }
      if (differences.size() < 2) continue;  // a channel this strategy never uses
      for (const double d : differences) EXPECT_GE(d, 0.0) << what;
      const Estimate d = estimate(differences, native.confidence);
      const double scale = estimate(natives, native.confidence).mean;
      EXPECT_LE(d.ci_high, 1.0) << what << ": paired difference " << d.mean << " s [" << d.ci_low
                                << ", " << d.ci_high << "] on " << scale << " s";
      ::testing::Test::RecordProperty(
          what, std::to_string(d.mean) + " s on " + std::to_string(scale) + " s");
    }
  }
}

TEST(CrossValidation, FlagshipAgreesWithTheNativeEngine) {
  // The flagship with 20,000 borrowers (a test copy: 200,000 takes minutes in Debug).
  expect_engines_agree(
      testing::replaced(testing::read_source("scenarios/flagship-vendor-outage.yaml"),
                        "borrowers: 200000", "borrowers: 20000"));
}

TEST(CrossValidation, ChannelsScenarioAgreesWithTheNativeEngine) {
  // SMS, push, e-mail and in-app reminders; only the SMS legs and the export cross SimGrid.
  expect_engines_agree(testing::read_source("scenarios/tutorial-02-channels.yaml"));
}

}  // namespace
}  // namespace faultline
