// The network-matters scenario (scenarios/network-cutover-export.yaml): with the SimGrid
// engine the cutover replay starves the day-13 batch export past its send window, which
// the native engine — no network — cannot show; each mitigation removes the effect. And
// SimGrid runs give byte-identical outputs for any --jobs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "simgrid_fixture.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// A test copy: 40,000 borrowers with 20 KB records keep the batch export at 200 MB (the
// quantity that matters against the link), and run 5× faster.
std::string network_scenario() {
  std::string text = testing::read_source("scenarios/network-cutover-export.yaml");
  text = testing::replaced(text, "borrowers: 200000", "borrowers: 40000");
  return testing::replaced(text, "export_record_size: 4KB", "export_record_size: 20KB");
}

TEST(NetworkScenario, ShowsWhatTheNativeEngineCannot) {
  Scenario sg = testing::parse_text(network_scenario());
  sg.replications = 3;
  const ExperimentResult r = testing::run(sg);
  // The native engine refuses the replay (a network-level fault); what it would compute
  // is the scenario without it: no network, nothing delayed.
  Scenario native = sg;
  native.engine = EngineKind::kNative;
  native.faults.clear();
  native.strategies.resize(1);
  const ExperimentResult n = testing::run(native);
  const double loss_native =
      testing::metric_estimate(native, n, 0, Metric::notification_loss_rate).mean;
  const double loss_sg = testing::metric_estimate(sg, r, 0, Metric::notification_loss_rate).mean;
  // One batch in four misses its send window: ~25 pp more loss than the vendor's 3 %.
  EXPECT_GT(loss_sg - loss_native, 0.20) << "simgrid " << loss_sg << ", native " << loss_native;
  EXPECT_GT(testing::metric_estimate(sg, r, 0, Metric::missed_payment_rate).mean,
            testing::metric_estimate(native, n, 0, Metric::missed_payment_rate).mean + 0.003);
  // Staging, rate limiting and a dedicated link each bring the batch back in time.
  for (int st = 1; st < static_cast<int>(sg.strategies.size()); ++st) {
    const double loss = testing::metric_estimate(sg, r, st, Metric::notification_loss_rate).mean;
    EXPECT_NEAR(loss, loss_native, 0.01) << sg.strategies[static_cast<std::size_t>(st)].name;
  }
}

TEST(NetworkScenario, NativeEngineRefusesTheReplay) {
  try {
    testing::parse_text(
        testing::replaced(network_scenario(), "\nengine: simgrid\n", "\nengine: native\n"));
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("bulk_transfer needs engine: simgrid"), std::string::npos)
        << e.what();
  }
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TEST(NetworkScenario, JobsDoNotChangeTheOutputs) {
  const fs::path dir =
      fs::temp_directory_path() / ("faultline_simgrid_jobs_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path scenario = dir / "network.yaml";
  std::ofstream(scenario) << network_scenario();
  auto run = [&](int jobs) {
    const fs::path out = dir / ("j" + std::to_string(jobs));
    const std::string cmd = std::string("'") + FAULTLINE_BINARY + "' run '" + scenario.string() +
                            "' --replications 2 --jobs " + std::to_string(jobs) + " --out '" +
                            out.string() + "' >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd;
    return out;
  };
  const fs::path one = run(1), two = run(2);
  for (const char* file : {"results.json", "runs.jsonl"}) {
    const std::string a = slurp(one / file), b = slurp(two / file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, b) << file << " differs between --jobs 1 and --jobs 2";
  }
  EXPECT_NE(slurp(one / "results.json").find("\"engine\": \"simgrid\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faultline
