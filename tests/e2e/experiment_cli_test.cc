// End to end for experiments (issue 5): sweeps, sequential sampling, results.csv and
// progress through the real binary. Outputs are byte-identical for --jobs 1 and 2 with
// all of them in play; progress goes to stderr only; sweep errors are located.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_fixture.h"

namespace {

using namespace faultline::e2e;

const char* kSweep = "tests/data/sweep.yaml";

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void expect_same_outputs(const std::string& a, const std::string& b) {
  for (const char* name : {"/results.json", "/runs.jsonl", "/results.csv"}) {
    const std::string x = slurp(a + name);
    EXPECT_FALSE(x.empty()) << name;
    EXPECT_EQ(x, slurp(b + name)) << name;
  }
}

TEST_F(Cli, SweepAndSequentialOutputsAreByteIdenticalWhateverTheJobs) {
  // One run exercises all of it: a 4-point sweep, rounds of sequential sampling (2, then
  // 4 replications) and all three output files. Each round is a fixed-size run, so this
  // also covers fixed-size sweeps.
  const std::string until =
      " --replications 2 --until-ci-halfwidth missed_payment_rate=0.25% --max-replications 4";
  const CliResult c = run(std::string("run ") + kSweep + until + " --jobs 1 --out " + file("c"));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  ASSERT_EQ(run(std::string("run ") + kSweep + until + " --jobs 2 --out " + file("d")).exit_code,
            0);
  expect_same_outputs(file("c"), file("d"));
  const auto j = nlohmann::json::parse(slurp(file("c") + "/results.json"));
  EXPECT_GT(j["replications"].get<int>(), 2) << "2 replications cannot reach ±0.25 %";
  EXPECT_EQ(j["precision"]["replications"], j["replications"]);
  EXPECT_LE(j["replications"].get<int>(), 4);
  EXPECT_EQ(j["precision"]["rounds"], nlohmann::json::array({2, 4}));
  EXPECT_NE(j["reproduce"].get<std::string>().find(until), std::string::npos) << j["reproduce"];
  EXPECT_NE(c.err.find("faultline: precision targets"), std::string::npos) << c.err;
}

TEST_F(Cli, SweepFillsPointsRunsAndCsv) {
  const CliResult r = run(std::string("run ") + kSweep + " --out " + file("o"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("point 3: faults[0].duration = 2d infrastructure.vendors.beta.capacity = 300/s"),
      std::string::npos)
      << r.out;
  const auto j = nlohmann::json::parse(slurp(file("o") + "/results.json"));
  ASSERT_TRUE(j["sweep"].is_object());
  EXPECT_EQ(j["sweep"]["point_count"], 4);
  ASSERT_EQ(j["sweep"]["axes"].size(), 2u);
  EXPECT_EQ(j["sweep"]["axes"][0]["path"], "faults[0].duration");
  EXPECT_EQ(j["sweep"]["axes"][1]["kind"], "range");
  EXPECT_EQ(j["sweep"]["axes"][1]["numeric_values"], nlohmann::json::array({100.0, 300.0}));
  EXPECT_TRUE(j["precision"].is_null());
  ASSERT_EQ(j["points"].size(), 4u);
  const auto& p2 = j["points"][2];
  EXPECT_EQ(p2["index"], 2);
  EXPECT_EQ(p2["parameters"]["faults[0].duration"], "2d");
  EXPECT_EQ(p2["parameters"]["infrastructure.vendors.beta.capacity"], "100/s");
  EXPECT_EQ(p2["parameter_values"]["faults[0].duration"], 172800.0);
  EXPECT_EQ(p2["faults"][0]["end_s"].get<double>() - p2["faults"][0]["start_s"].get<double>(),
            172800.0);
  ASSERT_EQ(p2["strategies"].size(), 2u);
  EXPECT_TRUE(p2["strategies"][1]["difference_to_reference"].contains("missed_payment_rate"));
  // The 12 h outage (points 0, 1) ends before any reminder batch: nothing is lost to it.
  EXPECT_LT(
      j["points"][0]["strategies"][0]["metrics"]["notification_loss_rate"]["mean"].get<double>(),
      p2["strategies"][0]["metrics"]["notification_loss_rate"]["mean"].get<double>());

  const std::string runs = slurp(file("o") + "/runs.jsonl");
  EXPECT_EQ(count_lines(runs), 4 * 2 * 3) << "points × strategies × replications";
  std::istringstream lines(runs);
  std::string first;
  std::getline(lines, first);
  EXPECT_EQ(first.rfind("{\"point\":0,\"strategy\":\"baseline\",\"replication\":0,", 0), 0u)
      << first;

  const std::string csv = slurp(file("o") + "/results.csv");
  const std::size_t metrics = j["metrics"].size();
  EXPECT_EQ(count_lines(csv), static_cast<int>(1 + 4 * 2 * metrics));
  EXPECT_EQ(
      csv.rfind("point,faults[0].duration,infrastructure.vendors.beta.capacity,strategy,metric,"
                "unit,mean,sd,"
                "ci_low,ci_high,half_width,n,difference_mean,difference_ci_low,difference_ci_high,"
                "difference_half_width\n",
                0),
      0u);
  EXPECT_NE(csv.find("\n2,2d,100/s,failover,missed_payment_rate,ratio,"), std::string::npos);
}

TEST_F(Cli, OnlyReplicationOfASweepReproducesItsLines) {
  ASSERT_EQ(run(std::string("run ") + kSweep + " --out " + file("all")).exit_code, 0);
  ASSERT_EQ(
      run(std::string("run ") + kSweep + " --only-replication 1 --out " + file("one")).exit_code,
      0);
  std::istringstream all(slurp(file("all") + "/runs.jsonl"));
  std::string line, expected;
  while (std::getline(all, line))
    if (nlohmann::json::parse(line)["replication"] == 1) expected += line + "\n";
  EXPECT_EQ(slurp(file("one") + "/runs.jsonl"), expected);
}

TEST_F(Cli, ProgressIsLoggedInTenthsWithoutATerminal) {
  const CliResult r = run(std::string("run ") + kSweep + " --out " + file("o"));
  ASSERT_EQ(r.exit_code, 0);
  int progress = 0;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" runs (") != std::string::npos) ++progress;
  // 24 runs logged every ~10 %: between 8 and 10 lines (tenths crossed), the last at 100 %.
  EXPECT_GE(progress, 8) << r.err;
  EXPECT_LE(progress, 10) << r.err;
  EXPECT_NE(r.err.find("faultline: 24/24 runs (100%)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no bar without a terminal";
  EXPECT_EQ(r.out.find(" runs ("), std::string::npos) << "progress stays off stdout";
}

TEST_F(Cli, SweepAndPrecisionErrorsAreLocated) {
  std::ifstream in(FAULTLINE_SOURCE_DIR "/tests/data/small.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  std::ofstream(file("bad.yaml")) << buf.str() << "sweep:\n  faults[0].duraton: [1h, 2h]\n";
  const CliResult r = run("run " + file("bad.yaml") + " --out " + file("o"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind(file("bad.yaml") + ":24:3: sweep: faults[0].duraton = '1h': ", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("did you mean 'duration'?"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(file("o")));
  EXPECT_EQ(run("validate " + file("bad.yaml")).exit_code, 2)
      << "validate checks every sweep point";

  std::ofstream(file("prec.yaml"))
      << buf.str() << "precision: {metrics: {missed_payment_rate: 1%}, max_replications: 3}\n";
  const CliResult p = run("run " + file("prec.yaml") + " --out " + file("o"));
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(
      p.err.rfind(
          file("prec.yaml") +
              ":23:12: precision: max_replications (3) is below the replications to start with (4)",
          0),
      0u)
      << p.err;
  EXPECT_EQ(
      run(std::string("run ") + kSweep + " --until-ci-halfwidth missed_payment_rate").exit_code, 2);
  EXPECT_EQ(run(std::string("run ") + kSweep + " --max-replications 5").exit_code, 2)
      << "needs a target";
}

TEST_F(Cli, TutorialSweepScenarioIsValid) {
  const CliResult r = run("validate scenarios/tutorial-outage-sweep.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
