// The pipeline object (sim/pipeline/experiment.h) below the CLI, as the Python package
// and sharded runs use it: work units in a stable order with their seeds, any subset run
// apart and merged back into the same bytes, two experiments at once in two threads,
// progress and cancellation between runs, typed options validated with their names,
// validation of what only the whole experiment knows (sweep points, expectation
// points, precision vs replications), the reproduce command from typed options, and one
// replication loop for precision targets and `inconclusive: extend`.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

#include "scenario_fixture.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"
#include "sim/pipeline/experiment.h"

namespace faultline {
namespace {

std::string small(const std::string& tail = "", int replications = 3) {
  return testing::small_failover_scenario(tail, replications);
}
const std::string kSweep = "sweep:\n  faults[0].duration: [12h, 2d]\n";

Experiment experiment(const std::string& text, ExperimentOptions o = {}) {
  if (o.jobs == 1) o.jobs = 2;
  return Experiment(testing::parse_text(text), o);
}

// Everything the outputs hold, as text: equal strings, equal files.
std::string outputs(const Experiment& e, const Results& r) {
  return results_json(e.scenario(), r.summary, r.reproduce) +
         runs_jsonl(e.scenario(), r.experiment) + results_csv(e.scenario(), r.summary);
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(Pipeline, WorkUnitsAreListedInAStableOrderWithTheSeedsTheyUse) {
  const Experiment e = experiment(small(kSweep));
  ASSERT_EQ(e.points().size(), 2u);
  const std::vector<WorkUnit> units = e.first_units();
  ASSERT_EQ(units.size(), 6u);
  for (std::size_t i = 0; i < units.size(); ++i) {
    EXPECT_EQ(units[i].point, static_cast<int>(i / 3)) << "point-major";
    EXPECT_EQ(units[i].replication, static_cast<int>(i % 3));
    // Points share their replications' seeds (common random numbers across the sweep).
    EXPECT_EQ(units[i].run_seed, replication_seed(7, 0, static_cast<std::uint64_t>(i % 3)));
  }
  // A later round's units: the same order, the next replications.
  const std::vector<WorkUnit> later = e.units(3, 5);
  ASSERT_EQ(later.size(), 4u);
  EXPECT_EQ(later[0].replication, 3);
  EXPECT_EQ(later[1].replication, 4);
  EXPECT_EQ(later[2].point, 1);
  EXPECT_EQ(later[2].run_seed, replication_seed(7, 0, 3));
  EXPECT_EQ(e.runs_per_unit(), 2u);
}

TEST(Pipeline, AnySubsetOfUnitsRunApartMergesIntoTheSameBytes) {
  const Experiment e = experiment(small(kSweep));
  const Results whole = e.run();
  // Three disjoint shards, in a shuffled order, each run on its own: what sharded and MPI
  // runs do. Merged and judged, they give the single run's outputs byte for byte.
  std::vector<WorkUnit> units = e.first_units();
  std::mt19937 shuffle(42);
  std::shuffle(units.begin(), units.end(), shuffle);
  std::vector<UnitResult> parts;
  for (std::size_t k = 0; k < 3; ++k) {
    std::vector<WorkUnit> shard;
    for (std::size_t i = k; i < units.size(); i += 3) shard.push_back(units[i]);
    for (UnitResult& u : e.run_units(shard)) parts.push_back(std::move(u));
  }
  ExperimentResult merged;
  assemble(merged, std::move(parts), e.points().size());
  const Results again = e.judge(std::move(merged), {3});
  EXPECT_EQ(outputs(e, again), outputs(e, whole));
}

TEST(Pipeline, TwoExperimentsInTwoThreadsAtOnceGiveTheirOwnResults) {
  ExperimentOptions seed8;
  seed8.seed = 8;
  const Experiment a = experiment(small()), b = experiment(small(kSweep), seed8);
  const std::string alone_a = outputs(a, a.run()), alone_b = outputs(b, b.run());
  std::string together_a, together_b;
  std::thread ta([&] { together_a = outputs(a, a.run()); });
  std::thread tb([&] { together_b = outputs(b, b.run()); });
  ta.join();
  tb.join();
  EXPECT_EQ(together_a, alone_a);
  EXPECT_EQ(together_b, alone_b);
  EXPECT_NE(alone_a, alone_b);
}

TEST(Pipeline, ProgressCountsEveryRunOnceAndNeverFromTwoThreadsAtOnce) {
  const Experiment e = experiment(
      small("precision: {metrics: {missed_payment_rate: 0.01%}, max_replications: 5}\n", 2));
  std::atomic<int> inside{0};
  bool overlapped = false;
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  std::vector<std::string> rounds;
  RunHooks hooks;
  hooks.on_progress = [&](std::size_t done, std::size_t planned) {
    overlapped |= inside++ > 0;
    seen.emplace_back(done, planned);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    --inside;
  };
  hooks.on_round = [&](int done, int next, const std::string& why) {
    rounds.push_back(std::to_string(done) + "→" + std::to_string(next) + ": " + why);
  };
  const Results r = e.run(hooks);
  EXPECT_FALSE(overlapped);
  ASSERT_FALSE(seen.empty());
  // Rounds 2, then 4, then 5 (the maximum): 5 replications × 2 strategies.
  EXPECT_EQ(r.rounds, (std::vector<int>{2, 4, 5}));
  EXPECT_EQ(seen.back(), (std::pair<std::size_t, std::size_t>{10, 10}));
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].first, i + 1);
  EXPECT_EQ(seen.front().second, 4u) << "the first round's plan";
  EXPECT_EQ(rounds, (std::vector<std::string>{"2→4: precision targets not met",
                                              "4→5: precision targets not met"}));
}

TEST(Pipeline, CancellationStopsBetweenRunsAndProducesNothing) {
  const Experiment e = experiment(small(kSweep, 6));
  std::atomic<bool> cancel{false};
  std::size_t last = 0, planned = 0;
  RunHooks hooks;
  hooks.cancel = &cancel;
  hooks.on_progress = [&](std::size_t done, std::size_t total) {
    last = done, planned = total;
    if (done == 1) cancel = true;  // Ctrl-C after the first run
  };
  EXPECT_THROW(e.run(hooks), Cancelled);
  EXPECT_EQ(planned, 24u);
  EXPECT_LE(last, 3u) << "at most the runs already under way on the two threads finish";
  // The flag is the caller's: cleared, the same experiment runs to the end.
  cancel = false;
  hooks.on_progress = nullptr;
  EXPECT_EQ(e.run(hooks).summary.replications, 6);
}

TEST(Pipeline, TypedOptionsAreValidatedWithTheirNames) {
  const auto option_of = [](ExperimentOptions o, const std::string& tail = "") {
    try {
      Experiment(testing::parse_text(small(tail)), o);
    } catch (const OptionError& e) {
      return e.option + ": " + e.what();
    }
    return std::string("<accepted>");
  };
  ExperimentOptions o;
  o.replications = 0;
  EXPECT_EQ(option_of(o), "replications: --replications must be 1 to 100000");
  o = {};
  o.jobs = 0;
  EXPECT_EQ(option_of(o), "jobs: --jobs must be at least 1");
  o = {};
  o.max_replications = 10;
  EXPECT_EQ(option_of(o),
            "max-replications: --max-replications needs precision targets "
            "(--until-ci-halfwidth or precision:)");
  o = {};
  o.until_ci_halfwidth = {{"missed_payment_rat", 0.001, "0.1%", {}}};
  EXPECT_EQ(
      option_of(o).rfind("until-ci-halfwidth: --until-ci-halfwidth names an unknown metric", 0),
      0u);
  o.until_ci_halfwidth = {{"missed_payment_rate", 0.001, "0.1%", {}}};
  o.max_replications = 2;
  EXPECT_EQ(option_of(o),
            "max-replications: --max-replications is too low: max_replications (2) "
            "is below the replications to start with (3)");
  o.max_replications.reset();
  o.replications = 1;
  EXPECT_EQ(option_of(o),
            "replications: --replications must be at least 2 with precision targets "
            "(the first round needs an interval)");
  o = {};
  o.only_replication = 3;
  EXPECT_EQ(option_of(o), "only-replication: --only-replication must be in [0, 3)");
  o.only_replication = 2;
  EXPECT_EQ(option_of(o), "<accepted>");
  o.engine = EngineKind::kSimgrid;
  EXPECT_EQ(option_of(o), "<accepted>");
}

// The line a tail appended to small() starts on.
std::string tail_line() {
  const std::string text = small();
  return std::to_string(1 + std::count(text.begin(), text.end(), '\n'));
}

TEST(Pipeline, WhatOnlyTheWholeExperimentKnowsIsValidatedBeforeAnyRun) {
  // The scenario parses on its own; the experiment refuses it, with the location.
  EXPECT_EQ(error_of([] {
              experiment(
                  small("precision: {metrics: {missed_payment_rate: 1%}, "
                        "max_replications: 2}\n"));
            })
                .rfind("test.yaml:" + tail_line() +
                           ":12: precision: max_replications (2) is below the "
                           "replications to start with (3)",
                       0),
            0u);
  EXPECT_EQ(
      error_of([] { experiment(small("precision: {metrics: {missed_payment_rate: 1%}}\n", 1)); })
          .rfind("test.yaml:" + tail_line() +
                     ":12: precision: sequential sampling starts from `replications` "
                     "(1), and its first round needs at least 2",
                 0),
      0u);
  EXPECT_EQ(error_of([] {
              experiment(small(
                  "expect:\n  - {metric: missed_payment_rate, assert: \"< 1%\", point: 2}\n"));
            }),
            "test.yaml:" + std::to_string(std::stoi(tail_line()) + 1) +
                ":5: expect: point 2 does not exist; the run has 1 point(s), 0 to 0");
  ExperimentOptions o;
  o.baseline = "/nonexistent/results.json";
  EXPECT_EQ(error_of([&] { experiment(small(), o); }),
            "/nonexistent/results.json: cannot open the results file (does it exist and is it "
            "readable?)");
}

TEST(Pipeline, TheReproduceCommandComesFromTheTypedOptions) {
  Scenario s = testing::parse_text(small());
  s.file = "scenarios/x.yaml";
  ExperimentOptions o;
  EXPECT_EQ(Experiment(s, o).reproduce(),
            "faultline run scenarios/x.yaml --seed 7 --replications 3");
  o.seed = 99;
  o.replications = 4;
  o.engine = EngineKind::kNative;
  o.until_ci_halfwidth = {{"missed_payment_rate", 0.001, "0.1%", {}},
                          {"delivery_latency_p95_s", 30, "30s", {}}};
  o.max_replications = 40;
  o.only_replication = 5;
  o.jobs = 7;  // never in the command: it changes no number
  o.strict = true;
  EXPECT_EQ(Experiment(s, o).reproduce(),
            "faultline run scenarios/x.yaml --engine native --seed 99 --replications 4 "
            "--until-ci-halfwidth missed_payment_rate=0.1%,delivery_latency_p95_s=30s "
            "--max-replications 40 --only-replication 5");
  // The baseline only when it can change the numbers (a `delta` with `inconclusive:
  // extend`): the Experiment decides, the command carries it.
  o = {};
  o.baseline = "main/x/results.json";
  EXPECT_EQ(reproduce_command(s, o, false),
            "faultline run scenarios/x.yaml --seed 7 --replications 3");
  EXPECT_EQ(
      reproduce_command(s, o, true),
      "faultline run scenarios/x.yaml --seed 7 --replications 3 --baseline main/x/results.json");
  s.file = "my scenarios/it's.yaml";
  EXPECT_EQ(reproduce_command(s, {}, false),
            "faultline run 'my scenarios/it'\\''s.yaml' --seed 7 --replications 3");
}

TEST(Pipeline, OneLoopTakesTheLargerDemandOfPrecisionAndExtend) {
  const Experiment e = experiment(small());
  Results r;
  r.rounds = {4};
  const auto next = [&](std::string* why = nullptr) { return e.next_round(r, why); };
  EXPECT_EQ(next(), 0) << "nothing asks for more";
  // Precision not met: its own rule (at most double, within its maximum).
  r.experiment.precision.enabled = true;
  r.experiment.precision.max_replications = 6;
  TargetOutcome wide;
  wide.needed = 1000;
  r.experiment.precision.targets = {wide};
  std::string why;
  EXPECT_EQ(next(&why), 6);
  EXPECT_EQ(why, "precision targets not met");
  // An `inconclusive: extend` entry doubles, up to its own maximum: the larger demand wins.
  Outcome open;
  open.verdict = Verdict::kInconclusive;
  open.expectation.inconclusive = InconclusivePolicy::kExtend;
  open.expectation.max_replications = 16;
  r.evaluation.outcomes = {open};
  EXPECT_EQ(next(&why), 8);
  EXPECT_EQ(why,
            "precision targets not met; 1 inconclusive expectation(s) with `inconclusive: extend`");
  r.experiment.precision.met = true;
  EXPECT_EQ(next(&why), 8);
  r.rounds = {16};
  EXPECT_EQ(next(), 0) << "both at their maximum";
  // One replication reproduces a record; it never grows.
  ExperimentOptions one;
  one.only_replication = 1;
  r.rounds = {4};
  EXPECT_EQ(experiment(small(), one).next_round(r), 0);
}

TEST(Pipeline, TheLoopOnlyAddsReplications) {
  // Precision out of reach from 2 replications up to 5: rounds 2, 4, 5, and exactly the
  // records of a fixed run of 5 (replication r has its seed whatever the round).
  const Experiment e = experiment(
      small("precision: {metrics: {missed_payment_rate: 0.001%}, max_replications: 5}\n", 2));
  const Results r = e.run();
  EXPECT_EQ(r.rounds, (std::vector<int>{2, 4, 5}));
  EXPECT_FALSE(r.experiment.precision.met);
  ASSERT_EQ(r.evaluation.outcomes.size(), 1u);
  EXPECT_EQ(r.evaluation.outcomes[0].kind, Outcome::Kind::kPrecision);
  EXPECT_EQ(r.evaluation.outcomes[0].verdict, Verdict::kInconclusive);
  ExperimentOptions five;
  five.replications = 5;
  const Results fixed = experiment(small("", 2), five).run();
  ASSERT_EQ(r.experiment.records.size(), fixed.experiment.records.size());
  for (std::size_t i = 0; i < fixed.experiment.records.size(); ++i)
    EXPECT_TRUE(identical(r.experiment.records[i].metrics, fixed.experiment.records[i].metrics))
        << i;
}

}  // namespace
}  // namespace faultline
