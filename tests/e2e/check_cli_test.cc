// `faultline check`, `run --report` and `faultline report` through the real binary on
// tests/data/expect.yaml (20,000 borrowers, 4 replications): exit codes 0/1/2, JUnit
// well-formed (parsed back by Python's xml.etree) with one case per expectation ×
// strategy, --strict and policies, a baseline that flags an injected regression and not
// an unchanged run, GitHub annotations and step summary, `extend` reproducing exactly,
// and reports that are byte-identical for identical results.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

// The output line that mentions `needle` ("" when none).
std::string line_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) return line;
  return "";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::string kFixture = slurp(FAULTLINE_SOURCE_DIR "/tests/data/expect.yaml");

class Check : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("faultline_check_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs faultline in the test's folder with `env` prepended (e.g. "GITHUB_ACTIONS=true").
  CliResult run(const std::string& args, const std::string& env = "") {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd =
        "cd '" + dir_.string() + "' && env -u GITHUB_ACTIONS -u GITHUB_STEP_SUMMARY " + env +
        " '" FAULTLINE_BINARY "' " + args + (args.rfind("report", 0) == 0 ? "" : " -j 2") + " >'" +
        out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out),
            slurp(err)};
  }
  // A scenario file in the test folder: the fixture, edited.
  std::string scenario(const std::string& name, const std::string& from = "",
                       const std::string& to = "", const std::string& append = "") {
    std::string text = kFixture;
    if (!from.empty()) {
      const auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      text.replace(at, from.size(), to);
    }
    std::ofstream(dir_ / name) << text << append;
    return name;
  }
  Json junit(const std::string& file) {
    const std::string cmd = "/usr/bin/python3 '" FAULTLINE_JUNIT_SUMMARY "' '" +
                            (dir_ / file).string() + "' >'" + (dir_ / "junit.json").string() + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "JUnit file is not well-formed XML";
    return Json::parse(slurp(dir_ / "junit.json"));
  }
  fs::path dir_;
};

TEST_F(Check, AllPassingWritesResultsReportAndJunit) {
  const CliResult r = run("check " + scenario("a.yaml") + " --junit junit.xml --out out");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS           missed_payment_rate < 6% [failover]"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("→ exit 0"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "out/small-expect/results.json"));
  EXPECT_TRUE(fs::exists(dir_ / "out/small-expect/report.html"));
  const Json j = junit("junit.xml");
  EXPECT_EQ(j["root"], "testsuites");
  // 6 entries; `all` on latency makes two cases: 7 cases.
  ASSERT_EQ(j["cases"].size(), 7u);
  EXPECT_EQ(j["failures"], "0");
  EXPECT_EQ(j["skipped"], "2") << "the two delta entries have no baseline";
  const Json& first = j["cases"][0];
  EXPECT_EQ(first["classname"], "small-expect");
  EXPECT_EQ(first["name"], "missed_payment_rate < 6% [failover]");
  EXPECT_EQ(first["file"], "a.yaml");
  EXPECT_EQ(first["line"], "27");
  EXPECT_EQ(j["cases"][3]["name"], "delivery_latency_p99_s <= 2h [baseline]");
  EXPECT_EQ(j["cases"][4]["name"], "delivery_latency_p99_s <= 2h [failover]");
  EXPECT_EQ(j["cases"][5]["outcome"], "skipped");
  EXPECT_NE(j["cases"][5]["message"].get<std::string>().find("no --baseline given"),
            std::string::npos);
}

TEST_F(Check, AFailureExits1AndCarriesTheEstimateAndInterval) {
  const std::string file =
      scenario("f.yaml", "", "",
               "  - {metric: missed_payment_rate, strategy: baseline, assert: \"< 1%\"}\n");
  const CliResult r = run("check " + file + " --junit junit.xml --out out --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out/small-expect/report.html"));
  const Json j = junit("junit.xml");
  EXPECT_EQ(j["failures"], "1");
  const Json& last = j["cases"].back();
  EXPECT_EQ(last["outcome"], "failure");
  EXPECT_EQ(last["line"], "33");
  const std::string message = last["message"];
  // The interval of a rate is Wilson's since issue 19 (t: [5.05%, 5.78%]; docs/metrics.md).
  EXPECT_NE(message.find("FAIL: missed_payment_rate = 5.42%, 95% CI [5.07%, 5.79%]; expected < 1%"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("reproduce: faultline run f.yaml --seed 7 --replications 4"),
            std::string::npos)
      << message;
}

TEST_F(Check, InconclusiveFailsOnlyUnderStrictOrPolicyFail) {
  const std::string entry =
      "  - {metric: missed_payment_rate, strategy: failover, assert: \"< 4.9%\"}\n";
  const std::string file = scenario("i.yaml", "", "", entry);
  const CliResult warn = run("check " + file + " --out out");
  EXPECT_EQ(warn.exit_code, 0) << warn.out;
  EXPECT_NE(warn.out.find("INCONCLUSIVE   missed_payment_rate < 4.9% [failover]"),
            std::string::npos)
      << warn.out;
  EXPECT_EQ(run("check " + file + " --out out --strict").exit_code, 1);
  const std::string fail = scenario("p.yaml", "", "",
                                    "  - {metric: missed_payment_rate, strategy: failover, assert: "
                                    "\"< 4.9%\", inconclusive: fail}\n");
  EXPECT_EQ(run("check " + fail + " --out out").exit_code, 1);
}

TEST_F(Check, BadInputExits2BeforeRunningAnything) {
  const std::string typo =
      scenario("t.yaml", "metric: missed_payment_rate, strategy: failover, assert: \"< 6%\"",
               "metric: missed_payment_rat, strategy: failover, assert: \"< 6%\"");
  const CliResult r = run("check " + scenario("ok.yaml") + " " + typo + " --out out");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "t.yaml:27:14: expect[0].metric: unknown metric 'missed_payment_rat' (did you mean "
            "'missed_payment_rate'?); see `faultline list metrics` or docs/metrics.md\n");
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "nothing runs when one file is bad";
  std::ofstream(dir_ / "bad.json") << "{not json";
  const CliResult b = run("check " + scenario("ok.yaml") + " --baseline bad.json --out out");
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("bad.json: not valid JSON; expected a faultline results.json"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(run("check --out out").exit_code, 2);
  EXPECT_EQ(run("check " + scenario("ok.yaml") + " --bogus").exit_code, 2);
  // An expectation on a sweep point the scenario does not have is found before any run,
  // like every other scenario error (it used to surface after the simulation).
  const std::string bad_point = scenario(
      "bp.yaml", "", "", "  - {metric: missed_payment_rate, assert: \"< 6%\", point: 3}\n");
  const CliResult p = run("check " + bad_point + " --junit junit.xml --out out");
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(p.err,
            "bp.yaml:33:5: expect: point 3 does not exist; the run has 1 point(s), 0 to 0\n");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_FALSE(fs::exists(dir_ / "junit.xml"));
}

TEST_F(Check, BaselineFlagsAnInjectedRegressionAndNotAnUnchangedRun) {
  ASSERT_EQ(run("check " + scenario("base.yaml") + " --out main").exit_code, 0);
  // Unchanged: the delta entries pass against the main branch's outputs (a folder).
  const CliResult same =
      run("check " + scenario("same.yaml") + " --baseline main --out pr --junit same.xml");
  EXPECT_EQ(same.exit_code, 0) << same.out;
  const std::string loss = line_with(same.out, "notification_loss_rate delta <= +10% [failover]");
  EXPECT_EQ(loss.rfind("  PASS ", 0), 0u) << same.out;
  EXPECT_NE(loss.find("Δ +0.000%"), std::string::npos) << loss;
  EXPECT_EQ(line_with(same.out, "missed_payment_rate delta <= +25% [failover]").rfind("  PASS ", 0),
            0u)
      << same.out;
  EXPECT_EQ(junit("same.xml")["skipped"], "0");
  // Injected regression: the backup vendor loses most messages; failover loses far more.
  const std::string worse =
      scenario("worse.yaml", "beta: {capacity: 200/s, failure_probability: 5%}",
               "beta: {capacity: 200/s, failure_probability: 60%}");
  const CliResult r = run("check " + worse +
                          " --baseline main/small-expect/results.json --out pr --junit worse.xml");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(line_with(r.out, "notification_loss_rate delta <= +10% [failover]").rfind("  FAIL ", 0),
            0u)
      << r.out;
  const Json j = junit("worse.xml");
  bool found = false;
  for (const Json& c : j["cases"])
    if (c["name"] == "notification_loss_rate delta <= +10% [failover]") {
      found = true;
      EXPECT_EQ(c["outcome"], "failure");
      // Same seeds in both runs: the regression is measured replication by replication.
      EXPECT_NE(c["message"].get<std::string>().find("change from baseline (paired) = +85."),
                std::string::npos)
          << c["message"];
    }
  EXPECT_TRUE(found);
}

TEST_F(Check, GithubActionsGetsAnnotationsAndAStepSummary) {
  const std::string file =
      scenario("g.yaml", "", "",
               "  - {metric: missed_payment_rate, strategy: baseline, assert: \"< 1%\"}\n");
  std::ofstream(dir_ / "summary.md") << "# earlier step\n";
  const CliResult r =
      run("check " + file + " --out out", "GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=summary.md");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.out.find(
          "::error file=g.yaml,line=33,title=faultline small-expect%3A missed_payment_rate < 1%25 "
          "[baseline]::"
          "FAIL: missed_payment_rate = 5.42%25, 95%25 CI [5.07%25, 5.79%25]; expected < 1%25"),
      std::string::npos)
      << r.out;
  const std::string summary = slurp(dir_ / "summary.md");
  EXPECT_EQ(summary.rfind("# earlier step\n### faultline check: ❌ failed — 5 passed, 1 failed, 0 "
                          "inconclusive, 2 skipped",
                          0),
            0u)
      << summary;
  EXPECT_NE(summary.find("| small-expect | missed_payment_rate &lt; 1% | baseline | 5.42% | "
                         "[5.07%, 5.79%] | ❌ FAIL |"),
            std::string::npos)
      << summary;
  // Without GITHUB_ACTIONS: no workflow commands.
  EXPECT_EQ(run("check " + file + " --out out").out.find("::error"), std::string::npos);
}

TEST_F(Check, ExtendDoublesReplicationsAndTheReproduceCommandGivesTheSameBytes) {
  const std::string file =
      scenario("x.yaml", "", "",
               "  - {metric: missed_payment_rate, strategy: failover, assert: \"< 4.9%\", "
               "inconclusive: extend, max_replications: 8}\n");
  const CliResult r = run("run " + file + " --out ext");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 inconclusive expectation(s) with `inconclusive: extend` after 4 "
                       "replications; extending to 8"),
            std::string::npos)
      << r.err;
  const Json j = Json::parse(slurp(dir_ / "ext/results.json"));
  EXPECT_EQ(j["replications"], 8);
  // The command as given: re-running it repeats the same rounds (4, then 8).
  EXPECT_EQ(j["reproduce"], "faultline run x.yaml --seed 7 --replications 4");
  ASSERT_EQ(run("run x.yaml --seed 7 --replications 4 --out again").exit_code, 0);
  EXPECT_EQ(slurp(dir_ / "ext/results.json"), slurp(dir_ / "again/results.json"));
  // The extension adds replications 4..7 to the first four: the same records as a run of 8
  // (only `reproduce` differs).
  ASSERT_EQ(run("run " + file + " --replications 8 --out direct").exit_code, 0);
  EXPECT_EQ(slurp(dir_ / "ext/runs.jsonl"), slurp(dir_ / "direct/runs.jsonl"));
}

TEST_F(Check, RunAndReportCommandWriteTheSamePageAndRunExits1OnFailure) {
  const std::string file = scenario("r.yaml");
  const CliResult r = run("run " + file + " --out o --report o/report.html");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("report: o/report.html"), std::string::npos);
  EXPECT_NE(r.out.find("5 passed, 0 failed, 0 inconclusive, 2 skipped"), std::string::npos)
      << r.out;
  const Json results = Json::parse(slurp(dir_ / "o/results.json"));
  EXPECT_EQ(results["scenario"]["text"], kFixture) << "results.json carries the scenario text";
  ASSERT_EQ(run("report o/results.json -o again.html").exit_code, 0);
  const std::string page = slurp(dir_ / "o/report.html");
  EXPECT_EQ(page, slurp(dir_ / "again.html"));
  ASSERT_EQ(run("run " + file + " --out o2 --report o2/report.html").exit_code, 0);
  EXPECT_EQ(page, slurp(dir_ / "o2/report.html")) << "same results, same bytes";
  EXPECT_NE(page.find("<div class=\"badge badge-pass\">PASS</div>"), std::string::npos);
  // With the run's own results as the baseline, the delta rows are judged too.
  ASSERT_EQ(run("report o/results.json -o b.html --baseline o/results.json").exit_code, 0);
  EXPECT_EQ(slurp(dir_ / "b.html").find("no --baseline given"), std::string::npos);
  const std::string failing =
      scenario("rf.yaml", "", "",
               "  - {metric: missed_payment_rate, strategy: baseline, assert: \"< 1%\"}\n");
  EXPECT_EQ(run("run " + failing + " --out of").exit_code, 1);
  std::ofstream(dir_ / "junk.json") << "[]";
  const CliResult bad = run("report junk.json -o x.html");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("junk.json: not a faultline results.json"), std::string::npos) << bad.err;
  EXPECT_EQ(run("report o/results.json").exit_code, 2) << "-o is required";
}

}  // namespace
