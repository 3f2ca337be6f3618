// Issue 19 through the binary: every bad input the issue lists is exit 2 with the path or
// file:line:col and what was expected (never exit 3, never after the simulation), the
// long-horizon run fits in bounded memory, and SIGINT/SIGTERM sent to a real child stop
// it with 130/143, a message saying what completed and how to resume, and no temporary
// file or partial set of outputs left behind.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace {

using namespace faultline::e2e;
namespace fs = std::filesystem;

class Hardening : public Cli {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(file(name), std::ios::binary) << text;
  }
  static std::string small() { return slurp(FAULTLINE_SOURCE_DIR "/tests/data/small.yaml"); }
  // exit 2, the message on stderr, nothing on stdout
  void expect_bad_input(const CliResult& r, const std::string& message) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
};

TEST_F(Hardening, InvalidUtf8IsRefusedAtLoadWithItsLocationByValidateAndRun) {
  write("latin1.yaml", "# caf\xe9\n" + small());
  const std::string where = file("latin1.yaml") + ":1:6: invalid UTF-8 (byte 0xE9)";
  expect_bad_input(run("validate '" + file("latin1.yaml") + "'"), where);
  const CliResult r = run("run '" + file("latin1.yaml") + "' --out '" + file("o") + "'");
  expect_bad_input(r, where);
  EXPECT_EQ(r.err.find(" runs ("), std::string::npos) << "refused before simulating";
}

TEST_F(Hardening, InputSizeIsLimitedAndConfigurable) {
  expect_bad_input(run("validate /dev/zero"),
                   "/dev/zero: the scenario file is larger than the 4 MiB limit");
  // A 5 MB scenario: a valid one padded with a comment.
  write("big.yaml", small() + "# " + std::string(5 << 20, 'x') + "\n");
  expect_bad_input(run("validate '" + file("big.yaml") + "'"), "larger than the 4 MiB limit");
  EXPECT_EQ(run("validate '" + file("big.yaml") + "'").out, "");
  const CliResult ok = run("validate '" + file("big.yaml") + "'; FAULTLINE_MAX_INPUT_MB=8 '" +
                           std::string(FAULTLINE_BINARY) + "' validate '" + file("big.yaml") + "'");
  EXPECT_NE(ok.out.find(": ok (small"), std::string::npos) << ok.err;
}

TEST_F(Hardening, FoldersAsInputsAreNamedAsFolders) {
  expect_bad_input(run("validate '" + dir_.string() + "'"),
                   "is a folder; expected a scenario file");
  expect_bad_input(run("report '" + dir_.string() + "' -o '" + file("r.html") + "'"),
                   "is a folder; expected a results file");
}

TEST_F(Hardening, UsageMistakesAreExit2OnStderr) {
  const CliResult v = run("validate");
  expect_bad_input(v, "faultline validate: missing the scenario file");
  EXPECT_EQ(v.out, "");
  expect_bad_input(run("validate --bogus"), "unknown option '--bogus'");
  expect_bad_input(run("list faults --bogus"), "unknown argument '--bogus'");
  for (const char* seed : {"-1", "1.5", "18446744073709551616", "x"})
    expect_bad_input(run(std::string("run tests/data/small.yaml --dry-run --seed ") + seed),
                     "seed");
  EXPECT_EQ(run("run tests/data/small.yaml --dry-run --seed 18446744073709551615 --out '" +
                file("o") + "'")
                .exit_code,
            0);
}

TEST_F(Hardening, UnwritableOutputsAreRefusedBeforeSimulating) {
  write("a-file", "x");
  const auto refused = [&](const std::string& args, const std::string& message) {
    const CliResult r = run(args);
    expect_bad_input(r, message);
    EXPECT_EQ(r.err.find(" runs ("), std::string::npos) << "refused before simulating: " << args;
  };
  refused("run tests/data/small.yaml --out '" + file("a-file") + "'", "is not a folder");
  refused("run tests/data/small.yaml --out '" + file("o") + "' --report '" + dir_.string() + "'",
          "it is a folder; name a file");
  refused("report /dev/null -o '" + dir_.string() + "'", "it is a folder; name a file");
  refused("check tests/data/small.yaml --junit '" + file("a-file") + "/j.xml'", "is not a folder");
  if (::geteuid() != 0) {  // root writes anywhere
    std::filesystem::create_directories(file("ro"));
    std::filesystem::permissions(
        file("ro"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    refused("run tests/data/small.yaml --out '" + file("ro") + "/o'", "is not writable");
    std::filesystem::permissions(file("ro"), std::filesystem::perms::owner_all);
  }
  // An over-long scenario name as the default output folder: shortened, not ENAMETOOLONG.
  std::string text = small();
  text.replace(text.find("scenario: small"), 15, "scenario: " + std::string(400, 'n'));
  write("long.yaml", text);
  const CliResult r = run("run '" + file("long.yaml") + "' --dry-run");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("out/" + std::string(100, 'n') + "-"), std::string::npos) << r.out;
  refused("run tests/data/small.yaml --out '" + file(std::string(300, 'd')) + "'",
          "is longer than 255 bytes");
}

TEST_F(Hardening, FaultsAfterTheHorizonAreRefusedZeroLengthOnesWarned) {
  std::string text = small();
  text.replace(text.find("at: 4d 20:00, duration: 2d"), 26, "at: 16d, duration: 2d");
  write("after.yaml", text);
  expect_bad_input(run("validate '" + file("after.yaml") + "'"),
                   "the fault starts at 16d, at or after the horizon (15d)");
  text = small();
  text.replace(text.find("duration: 2d"), 12, "duration: 0s");
  write("zero.yaml", text);
  const CliResult zero = run("validate '" + file("zero.yaml") + "'");
  EXPECT_EQ(zero.exit_code, 0) << zero.err;  // inert by design: warned, not refused
  EXPECT_NE(zero.err.find("warning: faults[0] (vendor_outage).duration: a zero-length fault "
                          "never happens"),
            std::string::npos)
      << zero.err;
}

// A real child process gets SIGTERM once its first progress line is out (bounded: at most
// 60 s of waiting, then the test fails and kills it); it stops within the runs in flight.
// The guard writes nowhere: before, its orphaned `sleep 60` held ctest's output pipe open
// after the test had finished, and every run of the test took the full 60 s.
TEST_F(Hardening, SigtermStopsTheRunSaysWhatCompletedAndExits143) {
  const std::string cmd =
      "cd '" FAULTLINE_SOURCE_DIR "' && ('" FAULTLINE_BINARY
      "' run scenarios/flagship-vendor-outage.yaml --jobs 2 --out '" +
      file("o") + "' 2>'" + file("stderr") + "' >/dev/null & pid=$!; " +
      "for i in $(seq 600); do grep -q ' runs (' '" + file("stderr") +
      "' 2>/dev/null && break; sleep 0.1; done; kill -TERM $pid; " +
      "( sleep 60; kill -KILL $pid ) >/dev/null 2>&1 & guard=$!; wait $pid; echo $? >'" +
      file("code") + "'; kill $guard 2>/dev/null; true)";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string err = slurp(file("stderr"));
  EXPECT_EQ(std::stoi(slurp(file("code"))), 143) << err;
  EXPECT_NE(err.find("faultline run: interrupted by SIGTERM after "), std::string::npos) << err;
  EXPECT_NE(err.find(" runs; nothing written"), std::string::npos) << err;
  EXPECT_NE(err.find("resume: "), std::string::npos) << err;
  EXPECT_NE(err.find("faultline run scenarios/flagship-vendor-outage.yaml"), std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(file("o")));
}

// A run killed outright (SIGKILL) between writing its temporaries and renaming them left
// `results.json.tmp.<pid>` beside the outputs; the next run removes those of dead
// processes, and leaves the outputs as one complete set.
TEST_F(Hardening, TemporariesOfAKilledRunAreRemovedByTheNextOne) {
  fs::create_directories(file("o"));
  // A pid that is certainly not running: a child that has exited and been reaped.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::string stale = file("o") + "/results.json.tmp." + std::to_string(dead);
  std::ofstream(stale) << "{half";
  const CliResult r =
      run("run tests/data/small.yaml --replications 1 --jobs 2 --out '" + file("o") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale));
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(file("o"))) {
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
    files += e.path().parent_path() == file("o") && e.path().filename().string()[0] != '.';
  }
  EXPECT_EQ(files, 3u);  // results.json, runs.jsonl, results.csv (links into the generation)
}

TEST_F(Hardening, AnExperimentBeyondTheMachineIsRefusedWithItsEstimate) {
  // 100 million borrowers (the parser's maximum) need ~5 GiB per run, × 16 runs in flight.
  std::string huge = small();
  huge.replace(huge.find("borrowers: 20000"), 16, "borrowers: 100000000");
  write("huge.yaml", huge);
  const CliResult r = run("run '" + file("huge.yaml") +
                          "' --dry-run --jobs 16 --replications 100 --out '" + file("o") + "'");
  if (r.exit_code == 0) GTEST_SKIP() << "this machine has more than ~90 GiB available";
  expect_bad_input(r, "refusing to run: it needs about ");
  EXPECT_NE(r.err.find("GiB available; lower --jobs"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force runs it anyway"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(" runs ("), std::string::npos);
  // More events per run than limits.max_events: refused before running, not stopped after.
  std::string text = small();
  text += "limits: {max_events: 1000}\n";
  write("limited.yaml", text);
  expect_bad_input(run("run '" + file("limited.yaml") + "' --dry-run --out '" + file("o") + "'"),
                   "more than limits.max_events (1000)");
}

TEST_F(Hardening, CheckPrintsTheEstimateAndRefusesLikeRun) {
  // The same estimate and refusal as `run` (admit_resources), before the first scenario
  // runs, naming the scenario; --force runs it into the in-run limit instead.
  std::string text = small();
  text += "limits: {max_events: 1000}\n";
  write("limited.yaml", text);
  const std::string limited = "check '" + file("limited.yaml") + "' --out '" + file("o") + "'";
  const CliResult refused = run(limited);
  expect_bad_input(refused, file("limited.yaml") + ": refusing to run: a run needs about ");
  EXPECT_NE(refused.err.find("--force runs it anyway"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("estimate: "), refused.err.rfind("estimate: "))
      << "refused before running: no estimate line of a run";
  const CliResult forced = run(limited + " --force");
  expect_bad_input(forced, "run limit: run stopped after limits.max_events = 1000 events");
  EXPECT_NE(forced.err.find("faultline: estimate: "), std::string::npos) << forced.err;
  EXPECT_FALSE(fs::exists(file("o") + "/small/results.json"));
  // A check that fits prints its estimate before it runs.
  std::string tiny = small();
  tiny.replace(tiny.find("borrowers: 20000"), 16, "borrowers: 200");
  write("tiny.yaml", tiny);
  const CliResult ok =
      run("check '" + file("tiny.yaml") + "' --no-report --out '" + file("o") + "'");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find("faultline: estimate: "), std::string::npos) << ok.err;
  EXPECT_NE(ok.err.find(" MiB"), std::string::npos) << ok.err;
}

}  // namespace
