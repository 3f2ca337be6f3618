// The fuzz targets' inputs replayed through the same entry points, built with the normal
// compiler (so also under the asan preset): the seed corpus (tests/fuzz/corpus), the
// shipped scenarios, and every input a fuzzer found a bug with (tests/fuzz/regressions,
// one file per finding, named after it; docs/reliability.md lists them). A target aborts
// on a bug — an exception other than the user-facing ScenarioError, a value out of its
// documented range — so a finding that comes back fails this test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/check/results_file.h"
#include "sim/scenario/error.h"

extern "C" int fuzz_units_one(const std::uint8_t* data, std::size_t size);
extern "C" int fuzz_expect_one(const std::uint8_t* data, std::size_t size);
extern "C" int fuzz_scenario_one(const std::uint8_t* data, std::size_t size);
extern "C" int fuzz_results_one(const std::uint8_t* data, std::size_t size);
extern "C" int fuzz_report_one(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

int replay(int (*one)(const std::uint8_t*, std::size_t), const fs::path& folder) {
  int n = 0;
  if (!fs::is_directory(folder)) return 0;
  for (const auto& e : fs::directory_iterator(folder)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string data = buf.str();
    SCOPED_TRACE(e.path().string());
    EXPECT_EQ(one(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), 0);
    ++n;
  }
  return n;
}

const fs::path kFuzz = fs::path(FAULTLINE_SOURCE_DIR) / "tests" / "fuzz";

TEST(FuzzReplay, Units) {
  EXPECT_GE(replay(fuzz_units_one, kFuzz / "corpus" / "units"), 10);
  replay(fuzz_units_one, kFuzz / "regressions" / "units");
}

TEST(FuzzReplay, Expect) {
  EXPECT_GE(replay(fuzz_expect_one, kFuzz / "corpus" / "expect"), 10);
  replay(fuzz_expect_one, kFuzz / "regressions" / "expect");
}

TEST(FuzzReplay, Scenario) {
  EXPECT_GE(replay(fuzz_scenario_one, fs::path(FAULTLINE_SOURCE_DIR) / "scenarios"), 11);
  replay(fuzz_scenario_one, kFuzz / "regressions" / "scenario");
}

TEST(FuzzReplay, Results) {
  EXPECT_GE(replay(fuzz_results_one, kFuzz / "corpus" / "results"), 2);
  replay(fuzz_results_one, kFuzz / "regressions" / "results");
}

// The report target shares the results corpus (its input is a results.json too).
TEST(FuzzReplay, Report) {
  EXPECT_GE(replay(fuzz_report_one, kFuzz / "corpus" / "results"), 2);
  replay(fuzz_report_one, kFuzz / "regressions" / "results");
  replay(fuzz_report_one, kFuzz / "regressions" / "report");
}

// Findings of fuzz_results (tests/fuzz/regressions/results): a field of the wrong type
// was read with json::value(key, default), which throws type_error — `faultline report`
// and `check --baseline` exited 3 ("internal error") instead of 2 with the path.
std::string refusal(const std::string& results) {
  try {
    (void)faultline::judge_results_text(results, nullptr, "r/results.json", std::nullopt);
  } catch (const faultline::ScenarioError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(FuzzFindings, AResultsSchemaOfAnotherTypeIsNotAResultsFile) {
  EXPECT_EQ(refusal(R"({"schema": 5, "points": [], "scenario": {}})"),
            "r/results.json: not a faultline results.json (expected \"schema\": "
            "\"faultline-results/1\" with scenario and points)");
}

TEST(FuzzFindings, AScenarioNameFileOrTextOfAnotherTypeIsBadInput) {
  const std::string head = R"({"schema": "faultline-results/1", "points": [], )";
  for (const std::string scenario :
       {R"("scenario": {"text": "scenario: x\n", "file": 5})", R"("scenario": {"name": 7})",
        R"("scenario": {"text": []})", R"("scenario": 3)"})
    EXPECT_EQ(refusal(head + scenario + "}"),
              "r/results.json: \"scenario\" is not an object with string name, file and text; "
              "expected the results.json faultline run or check wrote")
        << scenario;
}

}  // namespace
