// Sharded runs and their merge through the real binary (issue 17's must-holds):
// - `--shard 1/1`, and `1/3 + 2/3 + 3/3` merged, write the bytes of one run
//   (results.json, runs.jsonl, results.csv), and the report;
// - `--shard auto` reads Slurm's, a Kubernetes Indexed Job's and a CI's variables;
// - sequential precision over a sweep runs in waves: the merge asks for the next one
//   (exit 4, next-wave.json) and the last merge writes the bytes of one run;
// - parts that do not belong together are refused by name, exit 2, nothing written;
// - 1,000 shard files merge into the bytes of one, with peak memory that does not grow
//   with the number of files (time recorded in docs/performance.md, not asserted).
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "../e2e/cli_fixture.h"
#include "sim/model/plugin.h"
#include "sim/model/world.h"
#include "sim/scaleout/shard.h"
#include "sim/scenario/parser.h"

namespace {

using namespace faultline::e2e;
using Json = nlohmann::json;

const std::string kSweep = "tests/data/sweep.yaml";  // 4 points × 2 strategies × 3 replications
const std::string kSmall = "tests/data/small.yaml";

class ScaleOut : public Cli {
 protected:
  // faultline with environment variables set (`VAR=value ...`).
  CliResult run_env(const std::string& env, const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = "cd '" FAULTLINE_SOURCE_DIR "' && env " + env +
                            " '" FAULTLINE_BINARY "' " + args + " >'" + out.string() + "' 2>'" +
                            err.string() + "' </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out),
            slurp(err)};
  }
  void expect_same_outputs(const std::string& a, const std::string& b) {
    for (const char* name : {"results.json", "runs.jsonl", "results.csv"}) {
      const std::string x = slurp(file(a) + "/" + name);
      EXPECT_FALSE(x.empty()) << a << "/" << name;
      EXPECT_TRUE(x == slurp(file(b) + "/" + name)) << a << " and " << b << " differ in " << name;
    }
  }
  bool exists(const std::string& name) { return fs::exists(dir_ / name); }
};

TEST_F(ScaleOut, OneShardAndThreeShardsMergedWriteTheBytesOfOneRun) {
  const CliResult whole = run("run " + kSweep + " --jobs 2 --out " + file("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const CliResult one = run("run " + kSweep + " --shard 1/1 --out " + file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("one/w1-shard-1-of-1.jsonl (12 units)"), std::string::npos) << one.out;
  EXPECT_NE(one.err.find("shard 1 of 1 (--shard 1/1), wave 1"), std::string::npos) << one.err;
  ASSERT_EQ(run("merge " + file("one") + " --out " + file("m1")).exit_code, 0);
  for (int k = 1; k <= 3; ++k) {
    const CliResult shard = run("run " + kSweep + " --shard " + std::to_string(k) +
                                "/3 --jobs 1 --out " + file("three"));
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
    EXPECT_NE(shard.err.find(": 4 of 12 units"), std::string::npos) << shard.err;
  }
  const CliResult merged = run("merge " + file("three") + " --out " + file("m3") + " --report " +
                               file("m3/report.html"));
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.err.find("3 shard files, 12 units, 1 wave"), std::string::npos) << merged.err;
  expect_same_outputs("whole", "m1");
  expect_same_outputs("whole", "m3");
  EXPECT_EQ(slurp(file("m3/report.html")).rfind("<!DOCTYPE html>", 0), 0u);
  // The same table and verdicts on stdout, apart from where the results went.
  const auto table = [](std::string text) {
    return std::regex_replace(text, std::regex("results: [^\n]*\n"), "");
  };
  EXPECT_EQ(table(merged.out).substr(0, table(merged.out).find("report:")), table(whole.out));
}

// `merge --json` prints the summary `run --json` prints for the same results (only the
// results path differs), `--quiet` prints nothing, and a merge that needs another wave
// says so in JSON with exit code 4.
TEST_F(ScaleOut, MergeTakesQuietAndJsonLikeRun) {
  const CliResult whole = run("run " + kSweep + " --json --out " + file("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  for (int k = 1; k <= 2; ++k)
    ASSERT_EQ(run("run " + kSweep + " --shard " + std::to_string(k) + "/2 --out " + file("two"))
                  .exit_code,
              0);
  const CliResult merged = run("merge " + file("two") + " --json --out " + file("m"));
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(merged.err, "");
  Json a = Json::parse(whole.out), b = Json::parse(merged.out);
  EXPECT_EQ(b["results"], file("m") + "/results.json");
  EXPECT_EQ(b["exit_code"], 0);
  a.erase("results"), b.erase("results");
  EXPECT_EQ(a, b);
  const CliResult quiet = run("merge " + file("two") + " --quiet --out " + file("q"));
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out + quiet.err, "");
  expect_same_outputs("whole", "q");

  const std::string study =
      " --replications 2 --until-ci-halfwidth missed_payment_rate=0.01% --max-replications 4";
  ASSERT_EQ(run("run " + kSmall + study + " --shard 1/1 --out " + file("w1")).exit_code, 0);
  const CliResult plan = run("merge " + file("w1") + " --json --out " + file("plan"));
  ASSERT_EQ(plan.exit_code, 4) << plan.err;
  const Json p = Json::parse(plan.out);
  EXPECT_EQ(p["exit_code"], 4);
  EXPECT_EQ(p["wave"], 2);
  EXPECT_EQ(p["next_wave"], file("plan") + "/next-wave.json");
  EXPECT_TRUE(exists("plan/next-wave.json"));
}

TEST_F(ScaleOut, ShardAutoReadsSlurmKubernetesAndCiVariables) {
  ASSERT_EQ(run("run " + kSmall + " --replications 3 --out " + file("whole")).exit_code, 0);
  const struct {
    std::string folder;
    std::string env;  // for task i of 3
  } schedulers[] = {
      // `#SBATCH --array=1-3`: task ids from 1.
      {"slurm", "SLURM_ARRAY_TASK_ID=%1 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1"},
      {"k8s", "JOB_COMPLETION_INDEX=%0 JOB_COMPLETIONS=3"},
      {"ci", "CI_NODE_INDEX=%1 CI_NODE_TOTAL=3"},
  };
  for (const auto& s : schedulers) {
    for (int i = 0; i < 3; ++i) {
      std::string env = s.env;
      env.replace(env.find('%'), 2, std::to_string(env[env.find('%') + 1] == '1' ? i + 1 : i));
      const CliResult r =
          run_env(env, "run " + kSmall + " --replications 3 --shard auto --out " + file(s.folder));
      ASSERT_EQ(r.exit_code, 0) << env << "\n" << r.err;
      EXPECT_NE(
          r.err.find("shard " + std::to_string(i + 1) + " of 3 (" + env.substr(0, env.find(' '))),
          std::string::npos)
          << r.err;
    }
    ASSERT_EQ(run("merge " + file(s.folder) + " --out " + file(s.folder + "-merged")).exit_code, 0);
    expect_same_outputs("whole", s.folder + "-merged");
  }
  const CliResult none = run_env("-u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u CI_NODE_INDEX",
                                 "run " + kSmall + " --shard auto --out " + file("none"));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("found no shard in the environment"), std::string::npos) << none.err;
}

TEST_F(ScaleOut, PrecisionOverASweepRunsInWavesAndTheLastMergeWritesTheBytesOfOneRun) {
  const std::string study = kSweep +
                            " --replications 2 --until-ci-halfwidth missed_payment_rate=0.05% "
                            "--max-replications 6";
  ASSERT_EQ(run("run " + study + " --out " + file("whole")).exit_code, 0);
  const Json whole = Json::parse(slurp(file("whole/results.json")));
  const auto rounds = whole["precision"]["rounds"].get<std::vector<int>>();
  ASSERT_GE(rounds.size(), 2u) << "the test needs more than one round";

  std::string shard_folders;
  for (int wave = 1;; ++wave) {
    const std::string folder = "w" + std::to_string(wave);
    const int shards = wave + 1;  // any count per wave
    for (int k = 1; k <= shards; ++k) {
      const CliResult r =
          run("run " + study + " --shard " + std::to_string(k) + "/" + std::to_string(shards) +
              (wave > 1 ? " --wave " + file("out") : "") + " --out " + file(folder));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    shard_folders += " " + file(folder);
    const CliResult m = run("merge" + shard_folders + " --out " + file("out"));
    if (static_cast<std::size_t>(wave) < rounds.size()) {
      ASSERT_EQ(m.exit_code, 4) << "wave " << wave << ": " << m.err;
      EXPECT_NE(m.err.find("another wave of shards is needed, for replications [" +
                           std::to_string(rounds[static_cast<std::size_t>(wave) - 1]) + ", " +
                           std::to_string(rounds[static_cast<std::size_t>(wave)]) + ")"),
                std::string::npos)
          << m.err;
      EXPECT_NE(m.out.find("--shard K/N --wave " + file("out/next-wave.json")), std::string::npos)
          << m.out;
      EXPECT_TRUE(exists("out/next-wave.json"));
      EXPECT_FALSE(exists("out/results.json")) << "no results before the last wave";
    } else {
      ASSERT_EQ(m.exit_code, 0) << m.err;
      EXPECT_FALSE(exists("out/next-wave.json")) << "the plan is done with";
      break;
    }
  }
  expect_same_outputs("whole", "out");
}

TEST_F(ScaleOut, PartsThatDoNotBelongTogetherAreRefusedByNameWithNothingWritten) {
  for (int k = 1; k <= 3; ++k)
    ASSERT_EQ(run("run " + kSmall + " --replications 3 --shard " + std::to_string(k) + "/3 --out " +
                  file("s"))
                  .exit_code,
              0);
  const auto refused = [&](const std::string& args, const std::string& expected) {
    const CliResult r = run("merge " + args + " --out " + file("o"));
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_FALSE(exists("o/results.json"));
  };
  const std::string s1 = file("s/w1-shard-1-of-3.jsonl"), s2 = file("s/w1-shard-2-of-3.jsonl"),
                    s3 = file("s/w1-shard-3-of-3.jsonl");
  refused(s1 + " " + s3, "missing shard of wave 1: w1-shard-2-of-3.jsonl");
  fs::create_directories(dir_ / "copy");
  fs::copy_file(s2, dir_ / "copy/w1-shard-2-of-3.jsonl");
  refused(file("s") + " " + file("copy"), "duplicated shard: shard 2 of 3 of wave 1 is in both");
  ASSERT_EQ(
      run("run " + kSmall + " --replications 3 --seed 8 --shard 2/3 --out " + file("f")).exit_code,
      0);
  refused(s1 + " " + file("f") + " " + s3, "foreign shard " + file("f/w1-shard-2-of-3.jsonl"));
  const std::string text = slurp(s2);
  fs::create_directories(dir_ / "cut");
  std::ofstream(file("cut/w1-shard-2-of-3.jsonl")) << text.substr(0, text.size() - 100);
  refused(s1 + " " + file("cut") + " " + s3, file("cut/w1-shard-2-of-3.jsonl") + ": line");
  refused(file("nowhere"), "nowhere: no such file or folder");
}

TEST_F(ScaleOut, FlagsOfTheMergeAndBadShardsAreRefusedBeforeAnythingRuns) {
  const auto refused = [&](const std::string& args, const std::string& expected) {
    const CliResult r = run("run " + kSmall + " " + args + " --out " + file("x"));
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(exists("x"));
  };
  refused("--shard 1/3 --report r.html", "--report does not apply to a shard");
  refused("--shard 1/3 --baseline x.json", "--baseline does not apply to a shard");
  refused("--shard 1/3 --strict", "--strict does not apply to a shard");
  refused("--shard 1/3 --only-replication 0", "does not combine with --shard");
  refused("--shard 0/3", "--shard K/N needs 1 ≤ K ≤ N");
  refused("--shard three", "expects K/N");
  refused("--wave plan.json", "--wave runs the next wave of shards; it needs --shard");
  refused("--shard 1/2 --wave " + file("missing-plan"), "cannot read");
  // A plan from another study: another seed than the wave-1 shards had.
  const std::string study =
      " --replications 2 --until-ci-halfwidth missed_payment_rate=0.01% --max-replications 4";
  ASSERT_EQ(run("run " + kSmall + study + " --shard 1/1 --out " + file("w1")).exit_code, 0);
  ASSERT_EQ(run("merge " + file("w1") + " --out " + file("plan")).exit_code, 4);
  refused("--seed 99" + study + " --shard 1/1 --wave " + file("plan"),
          "plans a wave of another study: options");
}

TEST_F(ScaleOut, ABuildWithoutMpiRefusesToBeRunOnSeveralRanks) {
#ifdef FAULTLINE_HAVE_MPI
  GTEST_SKIP() << "this faultline has MPI (tests/scaleout/mpi_test.cc)";
#else
  const CliResult r = run_env("OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0",
                              "run " + kSmall + " --out " + file("x"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("built without MPI"), std::string::npos) << r.err;
  EXPECT_FALSE(exists("x"));
#endif
}

// Runs `faultline merge ARGS` as a child and returns its exit code, peak RSS and time.
struct Measured {
  int exit_code = -1;
  double peak_rss_mib = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system: what the machine's load does not inflate
};
Measured merge_measured(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string binary = FAULTLINE_BINARY, merge = "merge";
  argv.push_back(binary.data());
  argv.push_back(merge.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Measured m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  m.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  return m;
}

TEST_F(ScaleOut, AThousandShardsMergeLikeOneWithMemoryThatDoesNotGrowWithTheirCount) {
  using namespace faultline;
  // The units run once, in this process; the shard files are written by the code `run
  // --shard` uses, as 1,000 files of one unit each and as one file of all of them.
  const std::string path = "tests/scaleout/data/tiny-sweep.yaml";
  Scenario scenario =
      parse_scenario_text(slurp(FAULTLINE_SOURCE_DIR "/" + path), path, builtin_catalogues());
  check_plugins(scenario);
  ExperimentOptions options;
  options.jobs = 2;
  const Experiment e(std::move(scenario), options);
  const std::vector<WorkUnit> units = e.first_units();
  ASSERT_EQ(units.size(), 1000u);
  const std::vector<UnitResult> results = e.run_units(units);
  const Wave wave{1, {e.first_round()}};
  const auto write = [&](const fs::path& folder, ShardId id) {
    std::vector<UnitResult> mine;
    for (std::size_t i = static_cast<std::size_t>(id.index - 1); i < results.size();
         i += static_cast<std::size_t>(id.count))
      mine.push_back(results[i]);
    fs::create_directories(folder);
    std::ofstream(folder / shard_file_name(1, id), std::ios::binary)
        << shard_file_text(shard_header(e, id, "test", wave, mine.size()), mine);
  };
  write(dir_ / "one", {1, 1});
  for (int k = 1; k <= 1000; ++k) write(dir_ / "thousand", {k, 1000});

  const Measured one = merge_measured({file("one"), "--out", file("m1")});
  const Measured thousand = merge_measured({file("thousand"), "--out", file("m1000")});
  ASSERT_EQ(one.exit_code, 0);
  ASSERT_EQ(thousand.exit_code, 0);
  expect_same_outputs("m1", "m1000");
  std::cout << "merge of 1 shard file: " << one.seconds << " s (CPU " << one.cpu_seconds << " s), "
            << one.peak_rss_mib << " MiB; of 1,000: " << thousand.seconds << " s (CPU "
            << thousand.cpu_seconds << " s), " << thousand.peak_rss_mib << " MiB\n";
#if !defined(__SANITIZE_ADDRESS__)
  // The decoded units are the same; what may grow with the file count is one header per
  // file (without the scenario text) and the list of paths: well under 8 MiB for 1,000.
  EXPECT_LT(thousand.peak_rss_mib, one.peak_rss_mib + 8.0);
#endif
}

}  // namespace
