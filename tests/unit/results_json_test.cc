// results.json's latency CDFs: the pooled `delivery_latency_cdf` and
// `delivery_latency_cdf_by_channel`, one CDF per channel that delivered anything, keyed by
// the channel's name. First on a hand-made summary (exact keys and values), then on a real
// run where only the fallback strategy uses a second channel.
#include "sim/output/results_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/scenario/schedule.h"
#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

using Json = nlohmann::json;

// p rises (never falls) along increasing le_s, ends at exactly 1, within the size limit.
void expect_valid_cdf(const Json& cdf, const std::string& what) {
  ASSERT_TRUE(cdf.is_array()) << what;
  ASSERT_FALSE(cdf.empty()) << what;
  EXPECT_LE(cdf.size(), static_cast<std::size_t>(LatencyHistogram::kBins)) << what;
  for (std::size_t i = 1; i < cdf.size(); ++i) {
    EXPECT_GT(cdf[i]["le_s"].get<double>(), cdf[i - 1]["le_s"].get<double>())
        << what << " at " << i;
    EXPECT_GE(cdf[i]["p"].get<double>(), cdf[i - 1]["p"].get<double>()) << what << " at " << i;
  }
  EXPECT_GT(cdf.front()["p"].get<double>(), 0.0) << what;
  EXPECT_EQ(cdf.back()["p"].get<double>(), 1.0) << what;
}

std::vector<std::string> keys(const Json& object) {
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.push_back(it.key());
  return out;
}

// One strategy with no metric values: only its latency histograms matter here.
StrategySummary blank_strategy() {
  StrategySummary st;
  st.name = "baseline";
  st.metrics.assign(kMetricCount, Estimate{});
  st.difference_to_reference.assign(kMetricCount, Estimate{});
  st.series_mean.assign(kSeriesCount, {});
  return st;
}

// results.json's text for a one-point summary of `st` alone, on the small scenario.
std::string results_of(const StrategySummary& st) {
  const Scenario s = testing::parse_text(testing::small_scenario("", "  baseline: {}\n"));
  Summary summary;
  summary.replications = 1;
  summary.points.push_back({0, {}, {}, {st}});
  return results_json(s, summary, "r");
}

TEST(ResultsJson, LatencyCdfPerChannelHasOneKeyPerChannelThatDelivered) {
  StrategySummary st = blank_strategy();
  // sms: 3 at 12 s, 1 at 1200 s; push: 2 at 150 s (mid-bin values, so no edge rounding).
  // email is declared and never delivers.
  for (const SimTime latency : {12 * kSecond, 12 * kSecond, 12 * kSecond, 1200 * kSecond}) {
    st.channel_latency[static_cast<std::size_t>(Channel::sms)].add(latency);
    st.delivery_latency.add(latency);
  }
  for (int i = 0; i < 2; ++i) {
    st.channel_latency[static_cast<std::size_t>(Channel::push)].add(150 * kSecond);
    st.delivery_latency.add(150 * kSecond);
  }
  const std::string text = results_of(st);
  const Json j = Json::parse(text);
  const Json& out = j["points"][0]["strategies"][0];
  const Json& by = out["delivery_latency_cdf_by_channel"];
  EXPECT_EQ(keys(by), (std::vector<std::string>{"push", "sms"}));  // nlohmann::json sorts keys
  EXPECT_FALSE(by.contains("email")) << "declared, never delivered";
  EXPECT_FALSE(by.contains("in_app"));
  expect_valid_cdf(by["sms"], "sms");
  expect_valid_cdf(by["push"], "push");
  // sms: 3 of 4 within the bin holding 12 s, all 4 by the one holding 1200 s.
  EXPECT_EQ(by["sms"].front()["p"], 0.75);
  EXPECT_EQ(by["sms"].size(), 41u) << "two decades of 20 bins apart, both ends included";
  EXPECT_EQ(by["push"].size(), 1u);
  EXPECT_EQ(by["push"][0]["p"], 1.0);
  // The pooled CDF stays, over every channel: 3 of 6 by 12 s.
  expect_valid_cdf(out["delivery_latency_cdf"], "pooled");
  EXPECT_EQ(out["delivery_latency_cdf"].front()["p"], 0.5);
  // Written in Channel order (the text, not the parsed object, keeps it).
  EXPECT_LT(text.find("\"sms\": ["), text.find("\"push\": ["));
}

TEST(ResultsJson, NoDeliveryGivesEmptyCdfs) {
  const Json out = Json::parse(results_of(blank_strategy()))["points"][0]["strategies"][0];
  EXPECT_EQ(out["delivery_latency_cdf"], Json::array());
  EXPECT_EQ(out["delivery_latency_cdf_by_channel"], Json::object());
}

TEST(ResultsJson, FaultsListEveryWindowOfTheSchedule) {
  // A repeating fault with a random onset: every occurrence is listed (from the nominal
  // Schedule: onsets at `at`), with the spread within which each run draws its onset.
  const Scenario s = testing::parse_text(testing::small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 08:00, duration: 2h, every: 1d, "
      "repeat: 3, onset_spread: 30m}\n",
      "  baseline: {}\n"));
  Summary summary;
  summary.replications = 1;
  summary.points.push_back({0, {}, {}, {blank_strategy()}});
  const Json f = Json::parse(results_json(s, summary, "r"))["faults"][0];
  EXPECT_EQ(f["start_s"], 4 * 86400.0 + 8 * 3600.0) << "the first occurrence as written";
  EXPECT_EQ(f["end_s"], 4 * 86400.0 + 10 * 3600.0);
  EXPECT_EQ(f["onset_spread_s"], 1800.0);
  const Json& windows = f["windows"];
  ASSERT_EQ(windows.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    const double start = (4 + k) * 86400.0 + 8 * 3600.0;
    EXPECT_EQ(windows[k]["start_s"], start) << k;
    EXPECT_EQ(windows[k]["end_s"], start + 7200.0) << k;
  }
  const Schedule nominal = Schedule::nominal(s.faults, s.horizon);
  EXPECT_EQ(windows.size(), nominal.fault(0).windows.size());
}

TEST(ResultsJson, RealRunSplitsLatencyByTheChannelsEachStrategyUsed) {
  // alpha silently drops everything for 2 days and nothing fails over to beta, so the
  // fallback strategy re-sends unconfirmed reminders by push; baseline stays on SMS.
  Scenario s = testing::parse_text(testing::small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n",
      "  baseline: {}\n  fallback: {multi_channel: {fallback: [push], after: 2h}}\n"));
  s.replications = 2;
  RunControl options;
  options.jobs = 2;
  const ExperimentResult result = run_experiment(s, options);
  const Json j = Json::parse(results_json(s, summarise(s, result), "r"));
  const Json& baseline = j["points"][0]["strategies"][0];
  const Json& fallback = j["points"][0]["strategies"][1];
  ASSERT_EQ(fallback["name"], "fallback");

  EXPECT_EQ(keys(baseline["delivery_latency_cdf_by_channel"]), std::vector<std::string>{"sms"});
  // One channel: its CDF is the pooled one, point for point.
  EXPECT_EQ(baseline["delivery_latency_cdf_by_channel"]["sms"], baseline["delivery_latency_cdf"]);

  const Json& by = fallback["delivery_latency_cdf_by_channel"];
  EXPECT_EQ(keys(by), (std::vector<std::string>{"push", "sms"}));
  EXPECT_FALSE(by.contains("email")) << "declared but not in the fallback chain";
  for (const char* channel : {"sms", "push"}) expect_valid_cdf(by[channel], channel);
  // A push goes out only after `after` (2 h) without a receipt.
  EXPECT_GE(by["push"].front()["le_s"].get<double>(), 7200.0);
  EXPECT_NE(by["sms"], fallback["delivery_latency_cdf"]) << "pooled holds the push deliveries too";
}

}  // namespace
}  // namespace faultline
