// Sweeps: the `sweep:` block's paths and values, the grid of points it produces, and its
// errors — every one located at the path or value in the sweep block (file:line:col),
// with the closest name suggested for a typo.
#include <gtest/gtest.h>

#include "scenario_fixture.h"
#include "sim/scenario/sweep_grid.h"

namespace faultline {
namespace {

const std::string kFault =
    "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n";
const std::string kStrategies =
    "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n";

// The small scenario with `sweep_block` appended (its lines start at line 15).
std::string with_sweep(const std::string& sweep_block) {
  return testing::small_scenario(kFault, kStrategies) + sweep_block;
}

std::string error_of(const std::string& text) {
  try {
    testing::parse_text(text);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "<no error>";
}

// The line number of the first line of `text` holding `needle`.
int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

TEST(SweepPath, ReadsKeysAndListPositions) {
  std::vector<PathStep> steps;
  std::string error;
  ASSERT_TRUE(parse_sweep_path("faults[0].duration", steps, error)) << error;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].key, "faults");
  EXPECT_EQ(steps[1].index, 0);
  EXPECT_EQ(steps[2].key, "duration");
  ASSERT_TRUE(parse_sweep_path("infrastructure.vendors.alpha.capacity", steps, error));
  EXPECT_EQ(steps.size(), 4u);
  for (const char* bad : {"", "faults[x].duration", "faults[0", "a..b", "a.", ".a", "a b"})
    EXPECT_FALSE(parse_sweep_path(bad, steps, error)) << bad;
}

TEST(SweepRange, InterpolatesInTheEndsOwnUnit) {
  std::vector<std::string> v;
  std::string error;
  ASSERT_TRUE(range_values("5m", "1h", 4, v, error)) << error;
  EXPECT_EQ(v, (std::vector<std::string>{"5m", "23m 20s", "41m 40s", "1h"}))
      << "ends kept as written";
  ASSERT_TRUE(range_values("12d 06:00", "12d 18:00", 3, v, error)) << error;
  EXPECT_EQ(v[1], "12d 12:00:00");
  ASSERT_TRUE(range_values("10000", "50000", 5, v, error)) << error;
  EXPECT_EQ(v, (std::vector<std::string>{"10000", "20000", "30000", "40000", "50000"}));
  ASSERT_TRUE(range_values("1%", "5%", 3, v, error)) << error;
  EXPECT_EQ(v, (std::vector<std::string>{"1%", "3%", "5%"}));
  ASSERT_TRUE(range_values("100/s", "300/s", 3, v, error)) << error;
  EXPECT_EQ(v[1], "200/s");
  EXPECT_FALSE(range_values("1h", "5%", 3, v, error));
  EXPECT_FALSE(range_values("1%", "100/s", 3, v, error));
  EXPECT_NE(error.find("different units"), std::string::npos) << error;
}

TEST(Sweep, GridIsCartesianFirstAxisSlowest) {
  const Scenario s = testing::parse_text(
      with_sweep("sweep:\n  faults[0].duration: [6h, 24h, 48h]\n  "
                 "infrastructure.vendors.beta.capacity: {from: 100/s, to: 300/s, steps: 2}\n"));
  ASSERT_EQ(s.sweep.axes.size(), 2u);
  EXPECT_EQ(s.sweep.points(), 6u);
  const auto points = expand_sweep(s, builtin_catalogues());
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[1].parameters,
            (std::vector<std::pair<std::string, std::string>>{
                {"faults[0].duration", "6h"}, {"infrastructure.vendors.beta.capacity", "300/s"}}));
  EXPECT_EQ(points[4].parameters[0].second, "48h");
  EXPECT_EQ(points[4].index, 4);
  EXPECT_EQ(points[4].scenario.faults[0].params.time("duration"), 48 * kHour);
  EXPECT_DOUBLE_EQ(points[4].scenario.vendors[1].capacity_per_s, 100);
  EXPECT_DOUBLE_EQ(points[5].scenario.vendors[1].capacity_per_s, 300);
  EXPECT_EQ(points[5].scenario.vendors[0].capacity_per_s, 500) << "other values untouched";
  EXPECT_EQ(points[5].scenario.sha256, s.sha256) << "a point names the file it came from";
}

TEST(Sweep, ALeftOutDefaultCanBeSwept) {
  // `grace` is not written in the file: the sweep sets it, the parser checks it.
  const Scenario s = testing::parse_text(with_sweep("sweep:\n  population.grace: [2d, 5d]\n"));
  const auto points = expand_sweep(s, builtin_catalogues());
  EXPECT_EQ(points[0].scenario.population.grace, 2 * kDay);
  EXPECT_EQ(points[1].scenario.population.grace, 5 * kDay);
}

TEST(Sweep, PaymentsKeysAreSweptAndCheckedLikeTheOthers) {
  // Issue 18: payments.* could not be swept. Written keys, nested ones and a key left at
  // its default all reach the points; a bad value is reported at the value.
  const std::string payments = "payments:\n  app_share: 50%\n  retry: {probability: 30%}\n";
  const std::string base = testing::small_scenario(kFault, kStrategies) + payments;
  const Scenario s = testing::parse_text(
      base +
      "sweep:\n  payments.app_share: [20%, 90%]\n  payments.retry.probability: [10%, 60%]\n"
      "  payments.statement_lead: [5d]\n");
  const auto points = expand_sweep(s, builtin_catalogues());
  ASSERT_EQ(points.size(), 4u);
  EXPECT_DOUBLE_EQ(points[0].scenario.payments.app_share, 0.2);
  EXPECT_DOUBLE_EQ(points[3].scenario.payments.app_share, 0.9);
  EXPECT_DOUBLE_EQ(points[0].scenario.payments.retry_probability, 0.1);
  EXPECT_DOUBLE_EQ(points[1].scenario.payments.retry_probability, 0.6);
  EXPECT_EQ(points[2].scenario.payments.statement_lead, 5 * kDay);
  const std::string bad = base + "sweep:\n  payments.app_share: [20%, 150%]\n";
  const std::string error = error_of(bad);
  EXPECT_EQ(error.rfind("test.yaml:" + std::to_string(line_of(bad, "[20%, 150%]")) + ":", 0), 0u)
      << error;
  EXPECT_NE(error.find("sweep: payments.app_share = '150%': "), std::string::npos) << error;
  // Without a payments block the path names nothing, as for any other missing step.
  EXPECT_NE(error_of(with_sweep("sweep:\n  payments.retry.probability: [10%]\n"))
                .find("no key 'payments' under 'the top level'"),
            std::string::npos);
}

TEST(Sweep, ExperimentSettingsComeFromTheBaseScenario) {
  Scenario s = testing::parse_text(with_sweep("sweep:\n  faults[0].duration: [6h, 24h]\n"));
  s.seed = 99;  // as --seed does
  s.replications = 9;
  for (const auto& p : expand_sweep(s, builtin_catalogues())) {
    EXPECT_EQ(p.scenario.seed, 99u);
    EXPECT_EQ(p.scenario.replications, 9);
  }
}

TEST(SweepErrors, UnknownTopLevelKeySuggestsTheClosest) {
  const std::string text = with_sweep("sweep:\n  faultz[0].duration: [1h]\n");
  EXPECT_EQ(error_of(text),
            "test.yaml:" + std::to_string(line_of(text, "faultz")) +
                ":3: sweep: 'faultz[0].duration' starts with unknown key 'faultz' (did you mean "
                "'faults'?); sweepable top-level keys: horizon, population, channels, "
                "infrastructure, reminders, faults, strategies, limits, payments");
}

TEST(SweepErrors, MissingIntermediateKeyIsLocatedAtThePath) {
  const std::string text =
      with_sweep("sweep:\n  strategies.failovr.vendor_failover.window: [5m]\n");
  const std::string msg = error_of(text);
  EXPECT_EQ(
      msg.rfind(
          "test.yaml:" + std::to_string(line_of(text, "failovr")) +
              ":3: sweep: 'strategies.failovr.vendor_failover.window': no key 'failovr' under "
              "'strategies' (did you mean 'failover'?)",
          0),
      0u)
      << msg;
}

TEST(SweepErrors, UnknownLastKeyIsLocatedAtThePathWithASuggestion) {
  const std::string text = with_sweep("sweep:\n  faults[0].duraton: [1h]\n");
  const std::string msg = error_of(text);
  EXPECT_EQ(msg.rfind("test.yaml:" + std::to_string(line_of(text, "duraton")) +
                          ":3: sweep: faults[0].duraton = '1h': ",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("unknown key 'duraton' (did you mean 'duration'?)"), std::string::npos) << msg;
}

TEST(SweepErrors, ListPositionPastTheEnd) {
  const std::string text = with_sweep("sweep:\n  faults[3].duration: [1h]\n");
  EXPECT_EQ(error_of(text),
            "test.yaml:" + std::to_string(line_of(text, "faults[3]")) +
                ":3: sweep: 'faults[3].duration': 'faults' has 1 entries; [3] is past the end "
                "(positions count from 0)");
}

TEST(SweepErrors, BadListedValueIsLocatedAtTheValueWithTheKeysOwnCheck) {
  const std::string text = with_sweep("sweep:\n  faults[0].duration: [1h, 3 days]\n");
  const std::string msg = error_of(text);
  // Column 28 is where `3 days` starts: the value is checked as `duration` itself would be.
  EXPECT_EQ(
      msg,
      "test.yaml:" + std::to_string(line_of(text, "3 days")) +
          ":28: sweep: faults[0].duration = '3 days': faults[0] (vendor_outage).duration: '3 days' "
          "has unknown unit 'days': use us, ms, s, m, h or d");
}

TEST(SweepErrors, RangeValueOutOfTheKeysRangeIsLocatedAtTheRange) {
  const std::string text =
      with_sweep("sweep:\n  population.borrowers: {from: 0, to: 20000, steps: 3}\n");
  const std::string msg = error_of(text);
  EXPECT_EQ(msg.rfind("test.yaml:" + std::to_string(line_of(text, "population.borrowers")) +
                          ":25: sweep: population.borrowers = '0': population.borrowers: expected "
                          "1 to 100000000",
                      0),
            0u)
      << msg;
}

TEST(SweepErrors, ValueThatBreaksAnotherRuleNamesWhereItWasReported) {
  // A 9-day horizon ends before the last due date (day 8) plus grace: the parser reports
  // it at `due_day`; the sweep error points at the value and says where.
  const std::string text = with_sweep("sweep:\n  horizon: [15d, 9d]\n");
  const std::string msg = error_of(text);
  EXPECT_EQ(msg.rfind("test.yaml:" + std::to_string(line_of(text, "[15d")) +
                          ":18: sweep: horizon = '9d': population:",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("(reported at line 7, column 12)"), std::string::npos) << msg;
}

TEST(SweepErrors, ExperimentSettingsAndMalformedBlocksAreRejected) {
  EXPECT_NE(error_of(with_sweep("sweep:\n  seed: [1, 2]\n")).find("cannot be swept"),
            std::string::npos);
  EXPECT_NE(error_of(with_sweep("sweep:\n  horizon: 20d\n")).find("expected a list of values"),
            std::string::npos);
  EXPECT_NE(error_of(with_sweep("sweep:\n  horizon: []\n")).find("list at least one value"),
            std::string::npos);
  EXPECT_NE(error_of(with_sweep("sweep:\n  horizon: {from: 10d, to: 20d}\n"))
                .find("missing required key 'steps'"),
            std::string::npos);
  EXPECT_NE(error_of(with_sweep("sweep:\n  horizon: {from: 10d, to: 20d, steps: 1}\n"))
                .find("expected 2 to 1000"),
            std::string::npos);
  EXPECT_NE(
      error_of(with_sweep("sweep:\n  horizon: [15d]\n  horizon: [20d]\n")).find("appears twice"),
      std::string::npos);
  EXPECT_NE(error_of(with_sweep("sweep: {}\n")).find("name at least one parameter"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline
