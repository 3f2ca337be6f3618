// Cross-validation: where the network does not matter, the SimGrid engine (which adds
// SimGrid transfers for every SMS leg and the batch export) and the native engine (which
// has no network) must agree on the business metrics.
//
// Criterion, for each strategy and for notification_loss_rate and missed_payment_rate,
// over 20 replications per engine: |mean_native - mean_simgrid| <= hw_native + hw_simgrid,
// the sum of the two 95 % CI half-widths. Reasoning: if both engines estimate the same
// quantity, each interval covers it with probability 0.95, so both do with probability
// >= 0.90, and then the means are within the sum of half-widths of each other; the test
// is conservative (it tolerates a little more than a two-sample t-test would), which is
// what a cross-check of two independent implementations needs — an actual modelling
// difference (a lost batch, a skipped send window) moves the means by many half-widths
// (network_scenario_test). The replications use the same seeds in both engines, so
// in practice the means agree much more closely than the criterion demands.
#include <gtest/gtest.h>

#include <cmath>

#include "simgrid_fixture.h"

namespace faultline {
namespace {

void expect_engines_agree(const std::string& text) {
  Scenario native = testing::parse_text(text);
  native.replications = 20;
  Scenario simgrid = native;
  simgrid.engine = EngineKind::kSimgrid;
  const ExperimentResult a = testing::run(native), b = testing::run(simgrid);
  for (int st = 0; st < static_cast<int>(native.strategies.size()); ++st) {
    for (const Metric m : {Metric::notification_loss_rate, Metric::missed_payment_rate}) {
      const Estimate en = testing::metric_estimate(native, a, st, m);
      const Estimate es = testing::metric_estimate(simgrid, b, st, m);
      const double tolerance = en.half_width + es.half_width;
      EXPECT_LE(std::abs(en.mean - es.mean), tolerance)
          << native.name << " / " << native.strategies[static_cast<std::size_t>(st)].name << " / "
          << kMetrics[static_cast<std::size_t>(m)].name << ": native " << en.mean << " ± "
          << en.half_width << ", simgrid " << es.mean << " ± " << es.half_width;
      ::testing::Test::RecordProperty(native.strategies[static_cast<std::size_t>(st)].name + "." +
                                          std::string(kMetrics[static_cast<std::size_t>(m)].name),
                                      std::to_string(en.mean) + " vs " + std::to_string(es.mean));
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
