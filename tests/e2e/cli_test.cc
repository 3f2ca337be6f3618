// End to end through the real binary: the flagship scenario runs and shows failover
// helping; results are byte-identical for the same seed (and any --jobs) and differ for
// another seed; bad input gives file:line:col and exit code 2, never a crash.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_fixture.h"

namespace {

using namespace faultline::e2e;

const char* kSmall = "tests/data/small.yaml";

TEST_F(Cli, FlagshipRunShowsFailoverReducingLossAndMissedPayments) {
  const CliResult r =
      run("run scenarios/flagship-vendor-outage.yaml --replications 3 --out " + file("flag"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("missed_payment_rate"), std::string::npos);
  EXPECT_NE(r.out.find("results: " + file("flag") + "/results.json"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(slurp(file("flag") + "/results.json"));
  EXPECT_EQ(j["schema"], "faultline-results/1");
  EXPECT_EQ(j["replications"], 3);
  EXPECT_EQ(j["reference_strategy"], "baseline");
  ASSERT_EQ(j["points"].size(), 1u);
  const auto& strategies = j["points"][0]["strategies"];
  ASSERT_EQ(strategies.size(), 4u);
  const auto& base = strategies[0]["metrics"];
  const auto& hc = strategies[1];
  const auto& fo = strategies[2];
  const auto& resend = strategies[3];
  ASSERT_EQ(hc["name"], "health_check");
  ASSERT_EQ(fo["name"], "failover");
  ASSERT_EQ(resend["name"], "failover_resend");
  auto diff = [](const nlohmann::json& s, const char* metric, const char* field) {
    return s["difference_to_reference"][metric][field].get<double>();
  };
  // A health check cannot see a silent drop: no difference at all (common random numbers).
  EXPECT_EQ(diff(hc, "notification_loss_rate", "mean"), 0.0);
  // Receipt-rate failover must visibly help: the whole confidence interval of the paired
  // difference lies below zero for both loss and missed payments; re-sending helps more.
  EXPECT_LT(diff(fo, "notification_loss_rate", "ci_high"), -0.2);
  EXPECT_LT(diff(fo, "missed_payment_rate", "ci_high"), 0.0);
  EXPECT_LT(diff(resend, "notification_loss_rate", "ci_high"),
            diff(fo, "notification_loss_rate", "ci_low"));
  EXPECT_LT(diff(resend, "missed_payment_rate", "mean"), diff(fo, "missed_payment_rate", "mean"));
  EXPECT_GT(base["notification_loss_rate"]["mean"].get<double>(), 0.3);
  EXPECT_EQ(j["scenario"]["sha256"].get<std::string>().size(), 64u);
  // One JSON line per strategy × replication.
  std::istringstream lines(slurp(file("flag") + "/runs.jsonl"));
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    EXPECT_NO_THROW(auto _ = nlohmann::json::parse(line));
  EXPECT_EQ(count, 12);
}

TEST_F(Cli, SameSeedGivesByteIdenticalResultsWhateverTheJobs) {
  ASSERT_EQ(run(std::string("run ") + kSmall + " --jobs 1 --out " + file("a")).exit_code, 0);
  ASSERT_EQ(run(std::string("run ") + kSmall + " --jobs 2 --out " + file("b")).exit_code, 0);
  ASSERT_EQ(run(std::string("run ") + kSmall + " --jobs 1 --seed 8 --out " + file("c")).exit_code,
            0);
  const std::string a = slurp(file("a") + "/results.json");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, slurp(file("b") + "/results.json"));
  EXPECT_EQ(slurp(file("a") + "/runs.jsonl"), slurp(file("b") + "/runs.jsonl"));
  const auto ja = nlohmann::json::parse(a),
             jc = nlohmann::json::parse(slurp(file("c") + "/results.json"));
  EXPECT_EQ(jc["seed"], 8);
  EXPECT_NE(ja["points"][0]["strategies"][0]["metrics"]["missed_payments"]["mean"],
            jc["points"][0]["strategies"][0]["metrics"]["missed_payments"]["mean"]);
}

TEST_F(Cli, OnlyReplicationReproducesItsRecord) {
  ASSERT_EQ(run(std::string("run ") + kSmall + " --out " + file("all")).exit_code, 0);
  const CliResult one =
      run(std::string("run ") + kSmall + " --only-replication 2 --out " + file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  std::istringstream all(slurp(file("all") + "/runs.jsonl"));
  std::string line, expected;
  while (std::getline(all, line))
    if (nlohmann::json::parse(line)["replication"] == 2) expected += line + "\n";
  EXPECT_EQ(slurp(file("one") + "/runs.jsonl"), expected);
}

TEST_F(Cli, BadScenarioGivesLocatedErrorAndExitCode2) {
  std::ofstream(file("bad.yaml")) << "scenario: x\nhorizon: 3 days\n";
  const CliResult r = run("run " + file("bad.yaml") + " --out " + file("o"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            file("bad.yaml") +
                ":2:10: horizon: '3 days' has unknown unit 'days': use us, ms, s, m, h or d\n");
  EXPECT_FALSE(fs::exists(file("o"))) << "nothing written for a bad scenario";
}

TEST_F(Cli, ValidateReportsEachFile) {
  std::ofstream(file("bad.yaml")) << "scenario: [unclosed\n";
  const CliResult r =
      run(std::string("validate scenarios/flagship-vendor-outage.yaml ") + file("bad.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("scenarios/flagship-vendor-outage.yaml: ok"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.rfind(file("bad.yaml") + ":2:1: not valid YAML", 0), 0u) << r.err;
  EXPECT_EQ(run(std::string("validate ") + kSmall).exit_code, 0);
}

TEST_F(Cli, UsageErrorsAndHelp) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  const CliResult missing = run("run");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing the scenario file"), std::string::npos);
  const CliResult bad_opt = run(std::string("run ") + kSmall + " --jobs 0");
  EXPECT_EQ(bad_opt.exit_code, 2);
  EXPECT_EQ(run(std::string("run ") + kSmall + " --bogus").exit_code, 2);
  EXPECT_EQ(run("run /nonexistent.yaml").exit_code, 2);
  const CliResult help = run("run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--only-replication"), std::string::npos);
  const CliResult version = run("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("faultline 0.1.0 (git ", 0), 0u);
}

TEST_F(Cli, ListPrintsTheCatalogueFromTheRegistry) {
  const CliResult f = run("list faults");
  EXPECT_EQ(f.exit_code, 0);
  EXPECT_NE(f.out.find("vendor_outage"), std::string::npos);
  EXPECT_NE(
      f.out.find("mode (choice: reject|silent_drop|backlog|receipt_loss, default silent_drop)"),
      std::string::npos)
      << f.out;
  EXPECT_NE(run("list mitigations").out.find("vendor_failover"), std::string::npos);
  EXPECT_NE(run("list metrics").out.find("missed_payment_rate [ratio]"), std::string::npos);
  EXPECT_EQ(run("list everything").exit_code, 2);
}

TEST_F(Cli, RunLimitEndsARunWithAClearMessage) {
  std::ifstream in(FAULTLINE_SOURCE_DIR "/tests/data/small.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  std::ofstream(file("limited.yaml")) << buf.str() << "limits: {max_events: 1000}\n";
  const CliResult r = run("run " + file("limited.yaml") + " --out " + file("o"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run stopped after limits.max_events = 1000 events"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(file("o") + "/results.json"));
}

TEST_F(Cli, EveryShippedScenarioValidates) {
  std::string files;
  int count = 0;
  for (const auto& e : fs::directory_iterator(FAULTLINE_SOURCE_DIR "/scenarios"))
    if (e.path().extension() == ".yaml") files += " " + e.path().string(), ++count;
  ASSERT_GE(count, 11);
  const CliResult r = run("validate" + files);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(Cli, PaymentSideRunShowsPaymentColumnsAndIdempotencyRemovesDuplicates) {
  const CliResult r =
      run("run scenarios/car-loan-information-lost.yaml --replications 2 --out " + file("car"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("payment_failure_rate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("duplicate_charges"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(slurp(file("car") + "/results.json"));
  const auto& strategies = j["points"][0]["strategies"];
  ASSERT_EQ(strategies[1]["name"], "idempotency");
  EXPECT_GT(strategies[0]["metrics"]["duplicate_charges"]["mean"].get<double>(), 100);
  EXPECT_EQ(strategies[1]["metrics"]["duplicate_charges"]["mean"].get<double>(), 0);
  EXPECT_EQ(strategies[1]["metrics"]["duplicates_prevented"]["mean"],
            strategies[0]["metrics"]["duplicate_charges"]["mean"]);
}

}  // namespace
