// Scale-out below the CLI (sim/scaleout/): a unit's results survive the line encoding bit
// for bit; shards are chosen from K/N or a scheduler's variables and cover every unit
// once; shard files refuse truncation and edits; merging shards — in any split, in waves
// for sequential precision — gives the single process's bytes, and parts that do not
// belong together are refused by name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "scenario_fixture.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"
#include "sim/pipeline/experiment.h"
#include "sim/scaleout/merge.h"
#include "sim/scaleout/shard.h"
#include "sim/scaleout/unit_codec.h"
#include "sim/scaleout/wave_plan.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::string small(const std::string& tail = "", int replications = 3) {
  return testing::small_failover_scenario(tail, replications);
}
const std::string kSweep = "sweep:\n  faults[0].duration: [12h, 2d]\n";

Experiment experiment(const std::string& text, ExperimentOptions o = {}) {
  o.jobs = 2;
  return Experiment(testing::parse_text(text), o);
}

std::string outputs(const Experiment& e, const Results& r) {
  return results_json(e.scenario(), r.summary, r.reproduce) +
         runs_jsonl(e.scenario(), r.experiment) + results_csv(e.scenario(), r.summary);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no error>";
}

class ShardFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("faultline_scaleout_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs shard K of N of `wave` and writes its file under `folder`; returns the path.
  fs::path write_shard(const Experiment& e, ShardId id, const Wave& wave,
                       const std::string& folder = "shards") {
    const std::vector<WorkUnit> units = shard_units(e.units(wave.first(), wave.end()), id);
    const std::vector<UnitResult> results = e.run_units(units);
    const fs::path path = dir_ / folder / shard_file_name(wave.number, id);
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        << shard_file_text(shard_header(e, id, "test", wave, results.size()), results);
    return path;
  }
  std::vector<fs::path> write_shards(const Experiment& e, int n, const Wave& wave,
                                     const std::string& folder = "shards") {
    std::vector<fs::path> out;
    for (int k = 1; k <= n; ++k) out.push_back(write_shard(e, {k, n}, wave, folder));
    return out;
  }
  fs::path dir_;
};

void expect_same_unit(const UnitResult& a, const UnitResult& b) {
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.population_bytes, b.population_bytes);
  ASSERT_EQ(a.runs.size(), b.runs.size());
  for (std::size_t s = 0; s < a.runs.size(); ++s) {
    const RunRecord &x = a.runs[s], &y = b.runs[s];
    EXPECT_EQ(x.point, y.point);
    EXPECT_EQ(x.strategy, y.strategy);
    EXPECT_EQ(x.replication, y.replication);
    EXPECT_EQ(x.run_seed, y.run_seed);
    EXPECT_EQ(x.events, y.events);
    EXPECT_TRUE(identical(x.metrics, y.metrics));
    EXPECT_EQ(x.series.bin_width(), y.series.bin_width());
    EXPECT_TRUE(std::ranges::equal(x.series.counts(), y.series.counts()));
    for (int i = 0; i < LatencyHistogram::kBins; ++i) {
      EXPECT_EQ(x.delivery_latency.at(i), y.delivery_latency.at(i));
      for (std::size_t c = 0; c < x.channel_latency.size(); ++c)
        EXPECT_EQ(x.channel_latency[c].at(i), y.channel_latency[c].at(i));
    }
  }
}

TEST(UnitCodec, ARealUnitRoundTripsExactly) {
  const Experiment e = experiment(small());
  const std::vector<WorkUnit> units = e.first_units();
  const UnitResult u = e.run_units(std::span(units).first(1)).front();
  ASSERT_GT(u.runs.front().delivery_latency.count(), 0u);
  const std::string line = encode_unit(u);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const UnitResult back = decode_unit(line, {1, 2});
  expect_same_unit(u, back);
  EXPECT_EQ(encode_unit(back), line);
}

TEST(UnitCodec, EveryDoubleRoundTripsBitForBit) {
  // Values JSON cannot hold (NaN, infinities), the extremes, and ones whose shortest
  // decimal is long: the merge must give the single process's bytes.
  const std::vector<double> values = {std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      -0.0,
                                      0.0,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::max(),
                                      0.1,
                                      1.0 / 3.0,
                                      2.0 / 3.0 * 1e-300,
                                      123456789.123456789,
                                      std::nextafter(1.0, 2.0)};
  UnitResult u;
  u.unit = {0, 5, 42};
  RunRecord r;
  r.replication = 5;
  r.run_seed = 42;
  r.series = TimeSeries(kDay);
  for (std::size_t m = 0; m < r.metrics.size(); ++m) r.metrics[m] = values[m % values.size()];
  // Per-cycle metrics (population.cycles > 1) travel with the run too.
  for (std::size_t k = 0; k < 3; ++k) {
    CycleMetricValues cycle{};
    for (std::size_t m = 0; m < cycle.size(); ++m) cycle[m] = values[(m + k) % values.size()];
    r.cycle_metrics.push_back(cycle);
  }
  u.runs.push_back(r);
  const UnitResult back = decode_unit(encode_unit(u), {1, 1});
  auto same = [](double a, double b) {
    return std::isnan(a) ? std::isnan(b) : std::memcmp(&a, &b, sizeof a) == 0;
  };
  for (std::size_t m = 0; m < r.metrics.size(); ++m) {
    const double a = r.metrics[m], b = back.runs[0].metrics[m];
    EXPECT_TRUE(same(a, b)) << "metric " << m << ": " << a << " came back as " << b;
  }
  ASSERT_EQ(back.runs[0].cycle_metrics.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t m = 0; m < kCycleMetricCount; ++m)
      EXPECT_TRUE(same(r.cycle_metrics[k][m], back.runs[0].cycle_metrics[k][m])) << k << " " << m;
  std::string short_cycle = encode_unit(u);
  short_cycle.replace(short_cycle.find("\"cycle_metrics\":[["), 18, "\"cycle_metrics\":[[1,");
  EXPECT_NE(error_of([&] {
              decode_unit(short_cycle, {1, 1});
            }).find("cycle metric values"),
            std::string::npos);
}

TEST(UnitCodec, ALineThatDoesNotFitTheExperimentIsRefusedWithWhy) {
  const Experiment e = experiment(small());
  const std::vector<WorkUnit> units = e.first_units();
  const std::string line = encode_unit(e.run_units(std::span(units).first(1)).front());
  EXPECT_NE(error_of([&] {
              decode_unit(line, {1, 3});
            }).find("2 runs; the experiment has 3"),
            std::string::npos);
  std::string far = line;
  far.replace(far.find("\"point\":0"), 9, "\"point\":7");
  EXPECT_NE(error_of([&] { decode_unit(far, {1, 2}); }).find("point 7"), std::string::npos);
  EXPECT_NE(error_of([&] {
              decode_unit(line.substr(0, line.size() / 2), {1, 2});
            }).find("not valid JSON"),
            std::string::npos);
  std::string bad_series = line;
  const auto at = bad_series.find("\"counts\":[[");
  ASSERT_NE(at, std::string::npos);
  bad_series.insert(at + 10, "[999999,1],");
  EXPECT_NE(error_of([&] {
              decode_unit(bad_series, {1, 2});
            }).find("time series"),
            std::string::npos);
}

TEST(Shards, KOfNIsParsedAndCheckedWithWhatWasExpected) {
  EXPECT_EQ(parse_shard("2/8"), (ShardId{2, 8}));
  EXPECT_EQ(parse_shard("1/1"), (ShardId{1, 1}));
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/", "/3", "-1/3", "1/0", "2/3x", ""})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
  EXPECT_NE(error_of([] { parse_shard("4/3"); }).find("1 ≤ K ≤ N"), std::string::npos);
}

TEST(Shards, AutoReadsSlurmKubernetesAndCiVariables) {
  const auto from = [](std::map<std::string, std::string> vars) {
    return shard_from_environment([vars](const char* name) -> const char* {
      const auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    });
  };
  // Slurm counts tasks from --array's first index, in its steps.
  EXPECT_EQ(from({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}).id,
            (ShardId{1, 4}));
  EXPECT_EQ(from({{"SLURM_ARRAY_TASK_ID", "10"},
                  {"SLURM_ARRAY_TASK_COUNT", "10"},
                  {"SLURM_ARRAY_TASK_MIN", "1"}})
                .id,
            (ShardId{10, 10}));
  EXPECT_EQ(from({{"SLURM_ARRAY_TASK_ID", "20"},
                  {"SLURM_ARRAY_TASK_COUNT", "4"},
                  {"SLURM_ARRAY_TASK_STEP", "10"}})
                .id,
            (ShardId{3, 4}));
  EXPECT_EQ(from({{"JOB_COMPLETION_INDEX", "0"}, {"JOB_COMPLETIONS", "3"}}).id, (ShardId{1, 3}));
  EXPECT_EQ(from({{"CI_NODE_INDEX", "3"}, {"CI_NODE_TOTAL", "3"}}).id, (ShardId{3, 3}));
  const ShardChoice slurm =
      from({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"CI_NODE_INDEX", "1"}});
  EXPECT_EQ(slurm.id, (ShardId{2, 2})) << "Slurm first";
  EXPECT_EQ(slurm.source, "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2");

  const auto fails = [&](std::map<std::string, std::string> vars, const std::string& expected) {
    const std::string why = error_of([&] { from(vars); });
    EXPECT_NE(why.find(expected), std::string::npos) << why;
  };
  fails({}, "found no shard in the environment");
  fails({{"SLURM_ARRAY_TASK_ID", "1"}}, "SLURM_ARRAY_TASK_COUNT is not");
  fails({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}, "beyond the count");
  fails({{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}, "not a whole");
  fails({{"SLURM_ARRAY_TASK_ID", "5"},
         {"SLURM_ARRAY_TASK_COUNT", "4"},
         {"SLURM_ARRAY_TASK_STEP", "2"}},
        "evenly spaced");
  fails({{"JOB_COMPLETION_INDEX", "2"}}, "JOB_COMPLETIONS is not");
  fails({{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "2"}}, "counts from 1");
}

TEST(Shards, EveryUnitOfAWaveIsInExactlyOneShardAndEveryShardHasEveryPoint) {
  const Experiment e = experiment(small(kSweep, 7));
  const std::vector<WorkUnit> all = e.first_units();
  ASSERT_EQ(all.size(), 14u);
  for (int n : {1, 3, 5, 14, 20}) {
    std::multiset<std::pair<int, int>> seen;
    for (int k = 1; k <= n; ++k) {
      const std::vector<WorkUnit> mine = shard_units(all, {k, n});
      EXPECT_EQ(mine.size(), all.size() / n + (static_cast<std::size_t>(k - 1) < all.size() % n));
      std::set<int> points;
      for (const WorkUnit& u : mine) {
        seen.emplace(u.point, u.replication);
        points.insert(u.point);
      }
      if (n <= 5) {
        EXPECT_EQ(points.size(), 2u) << "round robin spreads the points";
      }
    }
    EXPECT_EQ(seen.size(), all.size());
    for (const WorkUnit& u : all) EXPECT_EQ(seen.count({u.point, u.replication}), 1u);
  }
}

TEST(Shards, FileNamesSortAndAreRecognised) {
  EXPECT_EQ(shard_file_name(1, {3, 10}), "w1-shard-03-of-10.jsonl");
  EXPECT_EQ(shard_file_name(2, {1, 1}), "w2-shard-1-of-1.jsonl");
  EXPECT_TRUE(is_shard_file_name("w12-shard-0007-of-1000.jsonl"));
  for (const char* other : {"runs.jsonl", "w1-shard-1-of-3.jsonl.tmp.123", "shard-1-of-3.jsonl",
                            "w1-shard-1-of-3.jsonl.profile.json"})
    EXPECT_FALSE(is_shard_file_name(other)) << other;
}

TEST_F(ShardFiles, AShardFileRefusesTruncationEditsAndTrailingText) {
  const Experiment e = experiment(small());
  const fs::path path = write_shard(e, {1, 1}, Wave{1, {3}});
  const std::string text = slurp(path.string());
  const ShardHeader h = read_shard_header(path);
  EXPECT_EQ(h.units, 3u);
  EXPECT_EQ(h.id, (ShardId{1, 1}));
  EXPECT_EQ(h.wave.rounds, std::vector<int>{3});
  std::size_t units = 0;
  const UnitShape shape{1, 2};
  EXPECT_EQ(read_shard_units(path, shape, [&](UnitResult&&) { ++units; }).units, 3u);
  EXPECT_EQ(units, 3u);

  const auto fails = [&](const std::string& changed, const std::string& expected) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << changed;
    const std::string why = error_of([&] { read_shard_units(path, shape, [](UnitResult&&) {}); });
    EXPECT_NE(why.find(expected), std::string::npos) << why;
  };
  fails(text.substr(0, text.size() / 2), "truncated");
  const std::size_t last_unit = text.rfind("\n{\"point\"") + 1;
  fails(text.substr(0, last_unit) + text.substr(text.find('\n', last_unit) + 1),
        "the trailer counts 3 units but the file holds 2");
  std::string edited = text;
  const auto events = edited.find("\"events\":", edited.find('\n')) + 9;
  edited.insert(events, "1");
  fails(edited, "checksum");
  fails(text + "{}\n", "text after the trailer");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{\"results\": 1}\n";
  EXPECT_NE(error_of([&] { read_shard_header(path); }).find("not a faultline shard file"),
            std::string::npos);
}

TEST_F(ShardFiles, ShardsMergedInAnySplitGiveTheSingleProcessBytes) {
  const Experiment e = experiment(small(kSweep));
  const std::string whole = outputs(e, e.run());
  for (int n : {1, 3, 7}) {
    const std::vector<fs::path> files = write_shards(e, n, Wave{1, {3}}, "n" + std::to_string(n));
    const MergeOutcome m =
        merge_shards(find_shard_files({(dir_ / ("n" + std::to_string(n))).string()}), {});
    ASSERT_TRUE(m.results) << n;
    EXPECT_FALSE(m.next_wave);
    EXPECT_EQ(outputs(*m.experiment, *m.results), whole) << n << " shards";
    EXPECT_EQ(m.stats.files, static_cast<std::size_t>(n));
    EXPECT_EQ(m.stats.units, 6u);
  }
}

TEST_F(ShardFiles, PartsThatDoNotMakeOneExperimentAreRefusedByName) {
  const Experiment e = experiment(small(kSweep));
  const std::vector<fs::path> files = write_shards(e, 3, Wave{1, {3}});
  const auto refused = [&](std::vector<fs::path> given, const std::vector<std::string>& expected) {
    const std::string why = error_of([&] { merge_shards(given, {}); });
    for (const std::string& x : expected) EXPECT_NE(why.find(x), std::string::npos) << why;
  };
  // Missing: named as the file it would be.
  refused({files[0], files[2]}, {"missing shard", "w1-shard-2-of-3.jsonl", "2 of 3 found"});
  // Duplicated: both copies named.
  fs::create_directories(dir_ / "copy");
  fs::copy_file(files[1], dir_ / "copy" / files[1].filename());
  refused({files[0], files[1], files[2], dir_ / "copy" / files[1].filename()},
          {"duplicated shard", "shard 2 of 3", "copy/w1-shard-2-of-3.jsonl"});
  // Foreign: another seed, another scenario; the odd one out is named.
  ExperimentOptions seed8;
  seed8.seed = 8;
  const fs::path other_seed =
      write_shard(experiment(small(kSweep), seed8), {2, 3}, Wave{1, {3}}, "seed8");
  refused({files[0], other_seed, files[2]},
          {"foreign shard", "seed8/w1-shard-2-of-3.jsonl", "--seed 7", "--seed 8"});
  const fs::path other_scenario = write_shard(experiment(small()), {2, 3}, Wave{1, {3}}, "nosweep");
  refused({files[0], other_scenario, files[2]}, {"foreign shard", "nosweep/", "sha256"});
  // Another build: merge with the faultline that ran them.
  fs::create_directories(dir_ / "build");
  for (const fs::path& f : files) {
    std::string text = slurp(f.string());
    text.insert(text.find("\"git_revision\":\"") + 16, "x");
    std::ofstream(dir_ / "build" / f.filename(), std::ios::binary) << text;
  }
  refused(find_shard_files({(dir_ / "build").string()}),
          {"made by faultline", "merge with the faultline that ran them"});
  // Other shard counts mixed into one wave.
  const fs::path of_two = write_shard(e, {2, 2}, Wave{1, {3}}, "two");
  refused({files[0], files[1], files[2], of_two}, {"does not belong with"});
  // Nothing to merge.
  EXPECT_NE(error_of([&] { find_shard_files({(dir_ / "nothing").string()}); }).find("no such file"),
            std::string::npos);
  fs::create_directories(dir_ / "empty");
  EXPECT_NE(error_of([&] { find_shard_files({(dir_ / "empty").string()}); }).find("no shard files"),
            std::string::npos);
}

TEST_F(ShardFiles, SequentialPrecisionRunsInWavesThatContinueDeterministically) {
  // Precision over a sweep: the loop asks for rounds at every point; each wave is one
  // round, planned by the merge, run by any number of shards.
  ExperimentOptions o;
  o.replications = 2;
  o.until_ci_halfwidth = parse_precision_targets("missed_payment_rate=0.05%");
  o.max_replications = 6;
  const Experiment e = experiment(small(kSweep), o);
  const Results whole = e.run();
  ASSERT_EQ(whole.rounds.size(), 3u) << "the test needs three rounds: {2, 4, 6}";
  std::vector<fs::path> files = write_shards(e, 2, Wave{1, {2}}, "w1");
  std::vector<int> shards_per_wave = {2, 3, 1};
  for (std::size_t wave = 1;; ++wave) {
    const MergeOutcome m = merge_shards(files, {});
    if (m.results) {
      EXPECT_EQ(outputs(*m.experiment, *m.results), outputs(e, whole));
      EXPECT_EQ(wave, whole.rounds.size());
      break;
    }
    ASSERT_TRUE(m.next_wave);
    ASSERT_LT(wave, whole.rounds.size());
    const WavePlan& plan = *m.next_wave;
    EXPECT_EQ(plan.why, "precision targets not met");
    // The plan is what the single process ran next, and survives its file.
    EXPECT_EQ(
        plan.wave.rounds,
        std::vector<int>(whole.rounds.begin(), whole.rounds.begin() + static_cast<long>(wave) + 1));
    const fs::path plan_file = dir_ / ("plan" + std::to_string(wave)) / kWavePlanFile;
    fs::create_directories(plan_file.parent_path());
    std::ofstream(plan_file) << wave_plan_text(plan);
    const WavePlan read = read_wave_plan(plan_file.parent_path());
    EXPECT_EQ(read.wave.rounds, plan.wave.rounds);
    EXPECT_EQ(study_difference(read.study, study_of(e)), "");
    for (const fs::path& f :
         write_shards(e, shards_per_wave[wave], read.wave, "w" + std::to_string(wave + 1)))
      files.push_back(f);
  }
}

TEST_F(ShardFiles, WavesThatDoNotFollowTheMergedOnesAreRefused) {
  ExperimentOptions o;
  o.replications = 2;
  o.until_ci_halfwidth = parse_precision_targets("missed_payment_rate=0.05%");
  o.max_replications = 6;
  const Experiment e = experiment(small(), o);
  std::vector<fs::path> files = write_shards(e, 1, Wave{1, {2}}, "w1");
  // A wave 2 that ran the wrong replications (a plan not made from these shards).
  std::vector<fs::path> wrong = files;
  wrong.push_back(write_shard(e, {1, 1}, Wave{2, {2, 3}}, "wrong"));
  EXPECT_NE(
      error_of([&] { merge_shards(wrong, {}); }).find("its plan was not made from these shards"),
      std::string::npos);
  // Wave 2 without wave 1.
  EXPECT_NE(error_of([&] { merge_shards({wrong.back()}, {}); }).find("wave 1 is missing"),
            std::string::npos);
  // A wave the experiment does not need: a fixed-size study has one.
  const Experiment fixed = experiment(small());
  std::vector<fs::path> extra = write_shards(fixed, 1, Wave{1, {3}}, "fixed");
  extra.push_back(write_shard(fixed, {1, 1}, Wave{2, {3, 4}}, "fixed2"));
  EXPECT_NE(error_of([&] { merge_shards(extra, {}); }).find("wave 2 is not needed"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline
