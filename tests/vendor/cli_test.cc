// The vendor emulator's, compare's and fit's command lines: bad input gets the path and
// the reason and exit 2, never a crash; fit reports bad rows by line number and goes on.
#include <nlohmann/json.hpp>

#include "tests/e2e/cli_fixture.h"

namespace faultline::e2e {
namespace {

using VendorCli = Cli;

TEST_F(VendorCli, FitReportsBadRowsByLineAndFitsTheRest) {
  std::ofstream(file("log.csv"))
      << "message_id,vendor,carrier,submitted,sent,delivered,status,error_code\n";
  {
    std::ofstream out(file("log.csv"), std::ios::app);
    for (int i = 0; i < 60; ++i)
      out << "m" << i << ",alpha,east," << i << "," << i + 0.5 << "," << i + 7.5 + (i % 7)
          << ",delivered,\n";
    out << "bad1,alpha,east,70,70.5,soon,delivered,\n";  // line 62
    out << "bad2,alpha,east,71,71.5,60,delivered,\n";    // line 63: delivered before sent
  }
  const CliResult r = run("fit " + file("log.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(file("log.csv") + ":62: skipped:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file("log.csv") + ":63: skipped: delivered before it was sent"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("infrastructure:"), std::string::npos);
  EXPECT_NE(r.out.find("2 bad rows skipped"), std::string::npos);
  EXPECT_NE(r.out.find("delay_median:"), std::string::npos);
  const CliResult j = run("fit " + file("log.csv") + " --format json");
  EXPECT_EQ(j.exit_code, 0);
  const auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["records"], 60);
  EXPECT_EQ(doc["bad_rows"].size(), 2u);
}

TEST_F(VendorCli, FitBadInputIsExitTwo) {
  EXPECT_EQ(run("fit /nonexistent/log.csv").exit_code, 2);
  std::ofstream(file("nostatus.csv")) << "a,b\n1,2\n";
  const CliResult r = run("fit " + file("nostatus.csv"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no status column"), std::string::npos) << r.err;
  EXPECT_EQ(run("fit").exit_code, 2);
  EXPECT_EQ(run("fit a.csv --format xml").exit_code, 2);
  EXPECT_EQ(run("fit --simulate tests/vendor/fit-known.yaml").exit_code, 2);  // no -o
  EXPECT_EQ(
      run("fit --simulate tests/vendor/fit-known.yaml -o " + file("x") + " --rate fast").exit_code,
      2);
}

TEST_F(VendorCli, VendorBadInputIsExitTwo) {
  const CliResult listen = run("vendor tests/vendor/sdk.yaml --listen nowhere");
  EXPECT_EQ(listen.exit_code, 2);
  EXPECT_NE(listen.err.find("--listen"), std::string::npos) << listen.err;
  EXPECT_EQ(run("vendor tests/vendor/sdk.yaml --time-scale 0").exit_code, 2);
  EXPECT_EQ(run("vendor tests/vendor/sdk.yaml --start 99d").exit_code, 2);
  EXPECT_EQ(run("vendor tests/vendor/sdk.yaml --compare").exit_code, 2);  // needs --ledger
  const CliResult idle = run("vendor tests/vendor/sdk.yaml --callback-idle 5000");
  EXPECT_EQ(idle.exit_code, 2);
  EXPECT_NE(idle.err.find("--callback-idle must be at most 1024"), std::string::npos) << idle.err;
  for (const char* bad : {"0s", "2h", "soon", "500us"}) {
    const CliResult timeout =
        run(std::string("vendor tests/vendor/sdk.yaml --callback-idle-timeout ") + bad);
    EXPECT_EQ(timeout.exit_code, 2) << bad;
    EXPECT_NE(timeout.err.find("callback-idle-timeout"), std::string::npos) << timeout.err;
  }
  EXPECT_EQ(run("vendor /nonexistent.yaml").exit_code, 2);
  EXPECT_EQ(run("vendor").exit_code, 2);
  const CliResult ledger =
      run("vendor tests/vendor/sdk.yaml --listen 127.0.0.1:0 --ledger /nonexistent/dir/l.jsonl");
  EXPECT_EQ(ledger.exit_code, 2);
  EXPECT_NE(ledger.err.find("/nonexistent/dir/l.jsonl"), std::string::npos) << ledger.err;
}

TEST_F(VendorCli, ARunForRunStopsByItselfWithAStopLine) {
  const CliResult r =
      run("vendor tests/vendor/sdk.yaml --listen 127.0.0.1:0 --time-scale 3600 "
          "--run-for 30m --auth-token x --ledger " +
          file("l.jsonl"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("alpha AccountSid AC"), std::string::npos);
  EXPECT_NE(r.out.find("auth token x"), std::string::npos);
  const std::string ledger = slurp(file("l.jsonl"));
  EXPECT_NE(ledger.find("\"event\":\"start\""), std::string::npos);
  EXPECT_NE(ledger.find("\"event\":\"stop\""), std::string::npos);
  // Nothing was sent: compare says so and exits 2 rather than judging empty rows.
  const CliResult c = run("compare " + file("l.jsonl") + " --replications 2");
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  EXPECT_NE(c.err.find("nothing to compare"), std::string::npos) << c.err;
}

TEST_F(VendorCli, CompareBadInputIsExitTwo) {
  EXPECT_EQ(run("compare /nonexistent.jsonl").exit_code, 2);
  std::ofstream(file("not-a-ledger.jsonl")) << "{\"event\":\"message\"}\n";
  const CliResult r = run("compare " + file("not-a-ledger.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a faultline vendor ledger"), std::string::npos) << r.err;
  EXPECT_EQ(run("compare").exit_code, 2);
}

}  // namespace
}  // namespace faultline::e2e
