// `expect:` end to end below the CLI: parsing (units per metric, located errors with
// suggestions), verdicts from intervals (PASS / FAIL / INCONCLUSIVE at the edges),
// baseline deltas, policies and the extension target, and the CI outputs' escaping.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/check/evaluate.h"
#include "sim/check/format.h"
#include "sim/check/github.h"
#include "sim/check/junit.h"
#include "sim/experiment/stats.h"
#include "sim/scenario/expect_parser.h"
#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

using testing::small_scenario;

const std::string kStrategies =
    "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n";

Scenario with_expect(const std::string& expect) {
  return testing::parse_text(small_scenario("", kStrategies) + "expect:\n" + expect);
}

// The YAML line of the first `expect:` entry (the fixture's length may change).
int first_entry_line() {
  const std::string prefix = small_scenario("", kStrategies);
  return static_cast<int>(std::count(prefix.begin(), prefix.end(), '\n')) + 2;
}
std::string at_line(int column) {
  return "test.yaml:" + std::to_string(first_entry_line()) + ":" + std::to_string(column) + ": ";
}

std::string error_of(const std::string& expect) {
  try {
    with_expect(expect);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ExpectParser, ReadsThresholdsInTheMetricsUnit) {
  const Scenario s = with_expect(
      "  - {metric: missed_payment_rate, strategy: failover, assert: \"< 0.5%\"}\n"
      "  - {metric: delivery_latency_p99_s, assert: \"<= 2h\"}\n"
      "  - {metric: delivery_latency, strategy: baseline, assert: \"p95 > 90s\"}\n"
      "  - {metric: notification_loss_rate, assert: {between: [1%, 10%]}}\n"
      "  - {metric: missed_payment_rate, strategy: failover, assert: \"delta <= +10%\", "
      "inconclusive: extend}\n"
      "  - {metric: late_payment_rate, assert: \"delta >= -0.5pp\", point: 0, inconclusive: fail}\n"
      "  - {metric: reminders_delivered, assert: \">= 1000\"}\n");
  ASSERT_EQ(s.expectations.size(), 7u);
  const auto& e = s.expectations;
  EXPECT_EQ(e[0].metric, "missed_payment_rate");
  EXPECT_EQ(e[0].strategy, "failover");
  EXPECT_EQ(e[0].comparison, Comparison::kLess);
  EXPECT_DOUBLE_EQ(e[0].bound, 0.005);
  EXPECT_EQ(e[0].assertion, "< 0.5%");
  EXPECT_EQ(e[0].loc.line, first_entry_line());  // the YAML line of the entry
  EXPECT_EQ(e[1].strategy, "all");
  EXPECT_DOUBLE_EQ(e[1].bound, 7200);
  EXPECT_EQ(e[2].metric, "delivery_latency_p95_s");
  EXPECT_EQ(e[2].comparison, Comparison::kGreater);
  EXPECT_DOUBLE_EQ(e[2].bound, 90);
  EXPECT_EQ(e[3].comparison, Comparison::kBetween);
  EXPECT_DOUBLE_EQ(e[3].bound, 0.01);
  EXPECT_DOUBLE_EQ(e[3].upper, 0.10);
  EXPECT_EQ(e[3].assertion, "between [1%, 10%]");
  EXPECT_EQ(e[4].against, Against::kBaselineRelative);
  EXPECT_DOUBLE_EQ(e[4].bound, 0.10);
  EXPECT_EQ(e[4].inconclusive, InconclusivePolicy::kExtend);
  EXPECT_EQ(e[4].max_replications, 32);  // 8 × the scenario's 4 replications
  EXPECT_EQ(e[5].against, Against::kBaselineDelta);
  EXPECT_DOUBLE_EQ(e[5].bound, -0.005);
  EXPECT_EQ(e[5].point, 0);
  EXPECT_EQ(e[5].inconclusive, InconclusivePolicy::kFail);
  EXPECT_DOUBLE_EQ(e[6].bound, 1000);
}

TEST(ExpectParser, ErrorsAreLocatedAndSayWhatWasExpected) {
  EXPECT_EQ(error_of("  - {metric: missed_payment_rat, assert: \"< 1%\"}\n"),
            at_line(14) +
                "expect[0].metric: unknown metric 'missed_payment_rat' (did you mean "
                "'missed_payment_rate'?); see `faultline list metrics` or docs/metrics.md");
  EXPECT_EQ(error_of("  - {metric: missed_payment_rate, strategy: failovr, assert: \"< 1%\"}\n"),
            at_line(45) +
                "expect[0].strategy: unknown strategy 'failovr' (did you mean 'failover'?); "
                "expected all, baseline, failover");
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: \"1%\"}\n")
                .find(at_line(43) + "expect[0].assert: '1%' has no comparison"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: delivery_latency_p99_s, assert: \"<= 2 hours\"}\n")
                .find("unknown unit 'hours'"),
            std::string::npos);
  EXPECT_NE(
      error_of("  - {metric: missed_payment_rate, assert: \"< 150%\"}\n").find("out of range"),
      std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: {between: [5%, 1%]}}\n")
                .find("must not exceed"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: \"p99 < 1%\"}\n")
                .find("applies to metric delivery_latency"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: \"< 1%\", inconclusive: maybe}\n")
                .find("expected warn, fail or extend"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: \"< 1%\", max_replications: 50}\n")
                .find("only with inconclusive: extend"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, asert: \"< 1%\"}\n")
                .find("did you mean 'assert'"),
            std::string::npos);
  EXPECT_NE(error_of("  - {metric: missed_payment_rate}\n").find("missing required key 'assert'"),
            std::string::npos);
  EXPECT_NE(error_of("  metric: x\n").find("expect: expected a list"), std::string::npos);
}

constexpr auto kMissed = static_cast<std::size_t>(Metric::missed_payment_rate);

// A summary with one point and the given (mean, low, high) of missed_payment_rate per
// strategy, over n replications.
Summary results_with(const std::vector<std::tuple<std::string, double, double, double>>& values,
                     std::size_t n = 10) {
  Summary s;
  s.replications = static_cast<int>(n);
  PointSummary point;
  for (const auto& [name, mean, low, high] : values) {
    StrategySummary st;
    st.name = name;
    st.metrics.assign(kMetricCount, Estimate{});
    st.metrics[kMissed] = Estimate{n, mean, 0, (high - low) / 2, low, high};
    point.strategies.push_back(st);
  }
  s.points.push_back(point);
  return s;
}

// A one-strategy summary from per-replication values of missed_payment_rate (seeds 100+r),
// with the estimate computed from them as the pipeline does.
Summary results_from_runs(const std::vector<double>& values, std::uint64_t first_seed = 100) {
  Summary s;
  s.replications = static_cast<int>(values.size());
  StrategySummary st;
  st.name = "a";
  st.metrics.assign(kMetricCount, Estimate{});
  st.metrics[kMissed] = estimate(values, 0.95);
  for (std::size_t r = 0; r < values.size(); ++r) {
    ReplicationValues v;
    v.replication = static_cast<int>(r);
    v.run_seed = first_seed + r;
    v.metrics[kMissed] = values[r];
    st.runs.push_back(v);
  }
  s.points.push_back({0, {}, {}, {st}});
  return s;
}

Expectation expect(const std::string& assertion, const std::string& strategy = "all") {
  Expectation e;
  e.metric = "missed_payment_rate";
  e.strategy = strategy;
  const std::string err = parse_assertion(assertion, e);
  EXPECT_EQ(err, "");
  e.loc = {7, 5};
  return e;
}

TEST(Evaluate, VerdictComesFromTheWholeInterval) {
  const Summary r = results_with(
      {{"a", 0.004, 0.003, 0.0049}, {"b", 0.006, 0.0051, 0.007}, {"c", 0.005, 0.004, 0.006}});
  const Evaluation e = evaluate(r, {expect("< 0.5%")}, {});
  ASSERT_EQ(e.outcomes.size(), 3u);
  EXPECT_EQ(e.outcomes[0].verdict, Verdict::kPass);
  EXPECT_EQ(e.outcomes[1].verdict, Verdict::kFail);
  EXPECT_EQ(e.outcomes[2].verdict, Verdict::kInconclusive);
  EXPECT_TRUE(e.outcomes[1].fails);
  EXPECT_FALSE(e.outcomes[2].fails);  // policy warn
  EXPECT_TRUE(e.failed());
  EXPECT_EQ(overall_verdict(e), "FAIL");
  EXPECT_EQ(e.outcomes[0].name(), "missed_payment_rate < 0.5% [a]");
  // Edges: `<` excludes the bound, `<=` includes it.
  const Summary edge = results_with({{"a", 0.004, 0.003, 0.005}});
  EXPECT_EQ(evaluate(edge, {expect("< 0.5%")}, {}).outcomes[0].verdict, Verdict::kInconclusive);
  EXPECT_EQ(evaluate(edge, {expect("<= 0.5%")}, {}).outcomes[0].verdict, Verdict::kPass);
  EXPECT_EQ(evaluate(edge, {expect(">= 0.3%")}, {}).outcomes[0].verdict, Verdict::kPass);
  EXPECT_EQ(evaluate(edge, {expect("> 0.5%")}, {}).outcomes[0].verdict, Verdict::kFail);
  Expectation between = expect("< 1%");
  between.comparison = Comparison::kBetween, between.bound = 0.0035, between.upper = 0.01;
  EXPECT_EQ(evaluate(edge, {between}, {}).outcomes[0].verdict, Verdict::kInconclusive);
  between.bound = 0.006;
  EXPECT_EQ(evaluate(edge, {between}, {}).outcomes[0].verdict, Verdict::kFail);
}

TEST(Evaluate, PoliciesStrictAndExtension) {
  const Summary r = results_with({{"a", 0.005, 0.004, 0.006}});
  Expectation fail = expect("< 0.5%");
  fail.inconclusive = InconclusivePolicy::kFail;
  EXPECT_TRUE(evaluate(r, {fail}, {}).failed());
  EvaluateOptions strict;
  strict.strict = true;
  EXPECT_TRUE(evaluate(r, {expect("< 0.5%")}, strict).failed());
  EXPECT_FALSE(evaluate(r, {expect("< 0.5%")}, {}).failed());
  Expectation extend = expect("< 0.5%");
  extend.inconclusive = InconclusivePolicy::kExtend;
  extend.max_replications = 30;
  const Evaluation e = evaluate(r, {extend}, {});
  EXPECT_EQ(extension_target(e, 10), 20);
  EXPECT_EQ(extension_target(e, 20), 30);  // capped at the maximum
  EXPECT_EQ(extension_target(e, 30), 0);
  EXPECT_EQ(extension_target(evaluate(r, {expect("< 0.5%")}, {}), 10), 0);  // warn never extends
  // One replication: no interval, so no verdict either way.
  const Summary one = results_from_runs({0.001});
  const Outcome o = evaluate(one, {expect("< 0.5%")}, {}).outcomes[0];
  EXPECT_EQ(o.verdict, Verdict::kInconclusive);
  EXPECT_NE(o.note.find("one replication"), std::string::npos);
}

TEST(Evaluate, UnpairedBaselineDeltaDetectsARegressionAndPassesAnUnchangedRun) {
  // No per-replication values (a baseline without its runs.jsonl): the unpaired rule,
  // this run's interval against the baseline's mean.
  const Summary base = results_with({{"a", 0.010, 0.0095, 0.0105}});
  const Summary same = base;  // an unchanged run: ±5 % around the baseline, inside +10 %
  const Summary worse =
      results_with({{"a", 0.012, 0.0115, 0.0125}});  // +20 %, interval [+15 %, +25 %]
  EvaluateOptions with;
  with.baseline = &base;
  with.baseline_label = "base.json";
  const Expectation rel = expect("delta <= +10%");
  const Outcome unchanged = evaluate(same, {rel}, with).outcomes[0];
  EXPECT_EQ(unchanged.verdict, Verdict::kPass) << unchanged.ci_low << " " << unchanged.ci_high;
  EXPECT_EQ(unchanged.unit, "relative");
  EXPECT_EQ(unchanged.pairing, Pairing::kUnpaired);
  const Outcome regressed = evaluate(worse, {rel}, with).outcomes[0];
  EXPECT_EQ(regressed.verdict, Verdict::kFail);
  EXPECT_NEAR(regressed.estimate, 0.2, 1e-12);
  EXPECT_EQ(regressed.note, "baseline: base.json, unpaired (it has no runs.jsonl beside it)");
  EXPECT_NEAR(regressed.ci_low, 0.15, 1e-12);
  EXPECT_EQ(evaluate(worse, {expect("delta <= +0.1pp")}, with).outcomes[0].verdict, Verdict::kFail);
  EXPECT_EQ(evaluate(worse, {expect("delta <= +0.3pp")}, with).outcomes[0].verdict, Verdict::kPass);
  EXPECT_EQ(evaluate(worse, {expect("delta <= +0.2pp")}, with).outcomes[0].verdict,
            Verdict::kInconclusive);
  // Without a baseline the entry is skipped, with the reason; it never passes silently.
  const Outcome skipped = evaluate(worse, {rel}, {}).outcomes[0];
  EXPECT_EQ(skipped.verdict, Verdict::kSkipped);
  EXPECT_EQ(skipped.note, "no --baseline given");
  EXPECT_FALSE(skipped.fails);
}

TEST(Evaluate, PairedDeltaOfAnUnchangedRunIsExactlyZeroAtAnyCount) {
  // The unpaired rule would put ±(this run's half-width) around 0 — wider than a tight
  // threshold, so INCONCLUSIVE (FAIL under --strict). Paired, a reproduction is Δ = 0 [0, 0].
  for (const std::vector<double>& values :
       {std::vector<double>{0.05}, std::vector<double>{0.05, 0.07},
        std::vector<double>{0.04, 0.09, 0.05, 0.06, 0.08}}) {
    const Summary base = results_from_runs(values), same = results_from_runs(values);
    EvaluateOptions with;
    with.baseline = &base;
    with.baseline_label = "main/x/results.json";
    with.strict = true;
    for (const char* assertion : {"delta <= +1%", "delta <= +0pp", "delta >= -0.01pp"}) {
      const Outcome o = evaluate(same, {expect(assertion)}, with).outcomes[0];
      EXPECT_EQ(o.verdict, Verdict::kPass) << assertion << " n=" << values.size();
      EXPECT_EQ(o.pairing, Pairing::kPaired);
      EXPECT_EQ(o.estimate, 0.0);
      EXPECT_EQ(o.ci_low, 0.0);
      EXPECT_EQ(o.ci_high, 0.0);
      EXPECT_EQ(o.n, static_cast<int>(values.size()));
      EXPECT_FALSE(o.fails);
    }
    // The unpaired rule on the same numbers is what flaked (n >= 2: an interval of ±hw).
    if (values.size() >= 2) {
      Summary no_runs = base;
      no_runs.points[0].strategies[0].runs.clear();
      with.baseline = &no_runs;
      EXPECT_EQ(evaluate(same, {expect("delta <= +1%")}, with).outcomes[0].verdict,
                Verdict::kInconclusive);
    }
  }
}

TEST(Evaluate, PairedDeltaIsTheIntervalOfPerReplicationDifferences) {
  const std::vector<double> before = {0.050, 0.061, 0.047, 0.058, 0.052, 0.066};
  std::vector<double> after;
  for (const double v : before) after.push_back(v * 1.2 + 0.001);  // a regression, seed by seed
  after[2] += 0.002;
  const Summary base = results_from_runs(before), now = results_from_runs(after);
  EvaluateOptions with;
  with.baseline = &base;
  with.baseline_label = "b";
  const Estimate d = paired_difference(after, before, 0.95);
  const Outcome abs = evaluate(now, {expect("delta <= +0.5pp")}, with).outcomes[0];
  EXPECT_EQ(abs.pairing, Pairing::kPaired);
  EXPECT_DOUBLE_EQ(abs.estimate, d.mean);
  EXPECT_DOUBLE_EQ(abs.ci_low, d.ci_low);
  EXPECT_DOUBLE_EQ(abs.ci_high, d.ci_high);
  EXPECT_EQ(abs.note, "baseline: b, paired over 6 replication(s) with the same run seeds");
  // Relative: the same interval over the baseline's mean of the paired replications.
  const double base_mean = estimate(before, 0.95).mean;
  const Outcome rel = evaluate(now, {expect("delta <= +10%")}, with).outcomes[0];
  EXPECT_DOUBLE_EQ(rel.estimate, d.mean / base_mean);
  EXPECT_DOUBLE_EQ(rel.ci_low, d.ci_low / base_mean);
  EXPECT_EQ(rel.verdict, Verdict::kFail) << "a +20 % regression against +10 %";
  // Other seeds (a baseline run with another --seed): no pairs, so the unpaired rule.
  const Summary other_seeds = results_from_runs(before, 900);
  with.baseline = &other_seeds;
  const Outcome unpaired = evaluate(now, {expect("delta <= +0.5pp")}, with).outcomes[0];
  EXPECT_EQ(unpaired.pairing, Pairing::kUnpaired);
  EXPECT_NE(unpaired.note.find("no replication shares a run seed"), std::string::npos);
  EXPECT_DOUBLE_EQ(unpaired.estimate, estimate(after, 0.95).mean - base_mean);
  // A baseline with fewer replications pairs over those it has.
  const Summary shorter = results_from_runs({before[0], before[1], before[2]});
  with.baseline = &shorter;
  const Outcome part = evaluate(now, {expect("delta <= +0.5pp")}, with).outcomes[0];
  EXPECT_EQ(part.n, 3);
  EXPECT_DOUBLE_EQ(part.estimate,
                   paired_difference(std::vector<double>(after.begin(), after.begin() + 3),
                                     std::vector<double>(before.begin(), before.begin() + 3), 0.95)
                       .mean);
  EXPECT_NE(part.note.find("paired over 3 of 6"), std::string::npos) << part.note;
}

TEST(Evaluate, PrecisionTargetsAreVerdicts) {
  Summary r = results_with({{"a", 0.05, 0.04, 0.06}});
  r.precision.enabled = true;
  r.precision.replications = 40;
  r.precision.max_replications = 40;
  TargetOutcome met{{"missed_payment_rate", 0.002, "0.2%", {12, 13}}, 0.0015, true, 30};
  TargetOutcome open{{"late_payment_rate", 0.001, "0.1%", {13, 13}}, 0.0018, false, 130};
  r.precision.targets = {met, open};
  const Evaluation e = evaluate(r, {}, {});
  ASSERT_EQ(e.outcomes.size(), 2u);
  EXPECT_EQ(e.outcomes[0].kind, Outcome::Kind::kPrecision);
  EXPECT_EQ(e.outcomes[0].verdict, Verdict::kPass);
  EXPECT_EQ(e.outcomes[0].name(), "missed_payment_rate half-width <= 0.2% [precision]");
  EXPECT_EQ(e.outcomes[0].expectation.loc.line, 12);
  EXPECT_EQ(e.outcomes[1].verdict, Verdict::kInconclusive);
  EXPECT_DOUBLE_EQ(e.outcomes[1].estimate, 0.0018);
  EXPECT_NE(e.outcomes[1].note.find("not met after 40 replications"), std::string::npos);
  EXPECT_FALSE(e.failed()) << "INCONCLUSIVE warns";
  EXPECT_EQ(overall_verdict(e), "INCONCLUSIVE");
  EvaluateOptions strict;
  strict.strict = true;
  EXPECT_TRUE(evaluate(r, {}, strict).failed()) << "and fails under --strict";
  EXPECT_EQ(extension_target(evaluate(r, {}, strict), 40), 0) << "precision has its own rule";
  EXPECT_EQ(
      describe_outcome(e.outcomes[1], 0.95)
          .rfind("INCONCLUSIVE: late_payment_rate confidence-interval half-width = 0.180%", 0),
      0u)
      << describe_outcome(e.outcomes[1], 0.95);
}

TEST(Evaluate, AnExpectationOnAPointTheResultsLackIsSkippedWithTheReason) {
  // The pipeline refuses such a scenario before it runs (pipeline_test); a results.json
  // from elsewhere can still lack the point, and the report then says why.
  Expectation e = expect("< 1%");
  e.point = 3;
  const Outcome o = evaluate(results_with({{"a", 0.01, 0.01, 0.01}}), {e}, {}).outcomes[0];
  EXPECT_EQ(o.verdict, Verdict::kSkipped);
  EXPECT_EQ(o.note, "the results have no point 3");
}

TEST(Evaluate, ACycleNamesTheMetricAtTheEndOfThatCycle) {
  // End of run: 1 % (FAIL against < 0.5 %); cycle 1: 0.2 % [0.1, 0.3] (PASS); cycle 2 is
  // missing from these results: SKIPPED with the reason.
  Summary r = results_with({{"a", 0.01, 0.009, 0.011}});
  StrategySummary& st = r.points[0].strategies[0];
  std::vector<Estimate> cycle(kCycleMetricCount, Estimate{});
  const auto i = static_cast<std::size_t>(
      std::find(std::begin(kCycleMetrics), std::end(kCycleMetrics), Metric::missed_payment_rate) -
      std::begin(kCycleMetrics));
  cycle[i] = Estimate{10, 0.002, 0, 0.001, 0.001, 0.003};
  st.cycle_metrics.push_back(cycle);
  st.cycle_difference_to_reference.push_back(cycle);
  Expectation e = expect("< 0.5%");
  EXPECT_EQ(evaluate(r, {e}, {}).outcomes[0].verdict, Verdict::kFail);
  e.cycle = 1;
  const Outcome o = evaluate(r, {e}, {}).outcomes[0];
  EXPECT_EQ(o.verdict, Verdict::kPass);
  EXPECT_DOUBLE_EQ(o.estimate, 0.002);
  EXPECT_EQ(o.name(), "missed_payment_rate < 0.5% [a] @ cycle 1");
  e.cycle = 2;
  const Outcome none = evaluate(r, {e}, {}).outcomes[0];
  EXPECT_EQ(none.verdict, Verdict::kSkipped);
  EXPECT_EQ(none.note, "the results have no cycle 2 of missed_payment_rate");
}

TEST(Evaluate, ADeltaAtACycleIsPairedOverTheReplications) {
  // At cycle 2, the run is 0.1 pp worse than its baseline seed by seed, while the seeds
  // themselves spread by ±1 pp. Paired: the difference is exactly +0.1 pp ([0.1, 0.1]),
  // so "delta <= +0.2pp" PASSES; unpaired (this run's interval minus the baseline's mean)
  // the interval is about ±1.2 pp wide: INCONCLUSIVE. So this fails with the unpaired
  // comparison `cycle:` had before.
  const std::vector<double> before = {0.040, 0.060, 0.045, 0.055, 0.030, 0.070};
  const auto i = static_cast<std::size_t>(
      std::find(std::begin(kCycleMetrics), std::end(kCycleMetrics), Metric::missed_payment_rate) -
      std::begin(kCycleMetrics));
  const auto with_cycles = [&](double shift) {
    std::vector<double> at_cycle_2;
    for (const double v : before) at_cycle_2.push_back(v + shift);
    // The end-of-run values are 5 %, whatever the cycle-2 ones: pairing them would say 0.
    Summary s = results_from_runs(std::vector<double>(before.size(), 0.05));
    StrategySummary& st = s.points[0].strategies[0];
    std::vector<Estimate> c1(kCycleMetricCount, Estimate{}), c2 = c1;
    c1[i] = estimate(std::vector<double>(before.size(), 0.01), 0.95);
    c2[i] = estimate(at_cycle_2, 0.95);
    st.cycle_metrics = {c1, c2};
    for (std::size_t r = 0; r < st.runs.size(); ++r) {
      CycleMetricValues one{}, two{};
      one[i] = 0.01;
      two[i] = at_cycle_2[r];
      st.runs[r].cycle_metrics = {one, two};
    }
    return s;
  };
  const Summary base = with_cycles(0), now = with_cycles(0.001);
  EvaluateOptions with;
  with.baseline = &base;
  with.baseline_label = "b";
  Expectation e = expect("delta <= +0.2pp");
  e.cycle = 2;
  const Outcome paired = evaluate(now, {e}, with).outcomes[0];
  EXPECT_EQ(paired.pairing, Pairing::kPaired);
  EXPECT_NEAR(paired.estimate, 0.001, 1e-12);
  EXPECT_NEAR(paired.ci_low, 0.001, 1e-12);
  EXPECT_NEAR(paired.ci_high, 0.001, 1e-12);
  EXPECT_EQ(paired.verdict, Verdict::kPass);
  EXPECT_EQ(paired.name(), "missed_payment_rate delta <= +0.2pp [a] @ cycle 2");
  // Runs without per-cycle values (an older runs.jsonl): unpaired, and so inconclusive.
  Summary old = now;
  for (ReplicationValues& r : old.points[0].strategies[0].runs) r.cycle_metrics.clear();
  const Outcome unpaired = evaluate(old, {e}, with).outcomes[0];
  EXPECT_EQ(unpaired.pairing, Pairing::kUnpaired);
  EXPECT_EQ(unpaired.verdict, Verdict::kInconclusive);
  // A baseline whose replications stop before cycle 2 is not paired with cycle 1.
  Summary short_base = base;
  for (ReplicationValues& r : short_base.points[0].strategies[0].runs) r.cycle_metrics.resize(1);
  with.baseline = &short_base;
  EXPECT_EQ(evaluate(now, {e}, with).outcomes[0].pairing, Pairing::kUnpaired);
}

TEST(ExpectParser, ACycleNeedsACycleMetricWithinTheCycles) {
  EXPECT_NE(error_of("  - {metric: missed_payment_rate, assert: \"< 1%\", cycle: 2}\n")
                .find("expect[0].cycle: expected a cycle from 1 to population.cycles (1)"),
            std::string::npos);
  const std::string three =
      small_scenario("", kStrategies, testing::kTwoVendors, "  cycles: 3\n  cycle: 1 month\n");
  const Scenario s = testing::parse_text(
      three + "expect:\n  - {metric: dpd_30_plus_rate, assert: \"< 1%\", cycle: 3}\n");
  ASSERT_EQ(s.expectations.size(), 1u);
  EXPECT_EQ(s.expectations[0].cycle, 3);
  try {
    testing::parse_text(three + "expect:\n  - {metric: sms_sent, assert: \"< 100\", cycle: 1}\n");
    ADD_FAILURE() << "accepted a metric that is not recorded per cycle";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("'sms_sent' is not recorded per cycle; with cycle: "
                                         "expected one of payments_due, missed_payment_rate"),
              std::string::npos)
        << e.what();
  }
}

TEST(Format, ValuesReadTheSameEverywhere) {
  EXPECT_EQ(format_value(0.0492, "ratio"), "4.92%");
  EXPECT_EQ(format_value(0.5259, "ratio"), "52.6%");
  EXPECT_EQ(format_difference(-0.0155, "ratio"), "-1.55 pp");
  EXPECT_EQ(format_value(12005, "messages"), "12,005");
  EXPECT_EQ(format_value(5400, "seconds"), "90.0 min");
  EXPECT_EQ(format_difference(0.1, "relative"), "+10.0%");
  EXPECT_EQ(format_value(NAN, "ratio"), "n/a");
  EXPECT_EQ(format_interval(0.01, 0.02, "ratio"), "[1.00%, 2.00%]");
}

ScenarioCheck check_named(const std::string& name) {
  ScenarioCheck c;
  c.name = name;
  c.file = "dir/a,b:c.yaml";
  c.reproduce = "faultline run x --seed 1";
  c.evaluation =
      evaluate(results_with({{"<b>&\"'", 0.006, 0.0051, 0.007}, {"ok", 0.001, 0.0005, 0.002}}),
               {expect("< 0.5%")}, {});
  return c;
}

TEST(CiOutputs, JunitEscapesEverythingAndCarriesTheEvidence) {
  const std::string xml = junit_xml({check_named("<script>alert(1)</script>")});
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_NE(xml.find("classname=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("[&lt;b&gt;&amp;&quot;&#39;]"), std::string::npos);
  EXPECT_NE(xml.find("line=\"7\""), std::string::npos);
  EXPECT_NE(
      xml.find("FAIL: missed_payment_rate = 0.600%, 95% CI [0.510%, 0.700%]; expected &lt; 0.5%"),
      std::string::npos)
      << xml;
  EXPECT_EQ(xml_escape(std::string("a\x01") + "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(CiOutputs, GithubAnnotationsAndSummaryAreEscaped) {
  ScenarioCheck c = check_named("x");
  const std::string ann = github_annotations({c});
  EXPECT_EQ(
      ann.rfind("::error file=dir/a%2Cb%3Ac.yaml,line=7,title=faultline x%3A missed_payment_rate < "
                "0.5%25 [<b>&\"']::FAIL: missed_payment_rate = 0.600%25",
                0),
      0u)
      << ann;
  EXPECT_EQ(std::count(ann.begin(), ann.end(), '\n'), 1);  // the passing case is not annotated
  EXPECT_EQ(github_escape_data("50%\nnext"), "50%25%0Anext");
  const std::string md = github_step_summary({c});
  EXPECT_NE(
      md.find("| scenario | expectation | strategy | estimate | confidence interval | verdict |"),
      std::string::npos);
  EXPECT_NE(md.find("| x | missed_payment_rate &lt; 0.5% | &lt;b&gt;&amp;\"' | 0.600% | [0.510%, "
                    "0.700%] | ❌ FAIL |"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace faultline
