// Issue 19 regression tests below the command line: input files (a folder, a device, the
// size limit and its variable, invalid UTF-8 at its line and column), YAML structure limits
// (nesting depth before yaml-cpp parses, node count after alias expansion), faults that can
// never happen, and the receipt monitor's memory bounded by its window rather than the
// horizon. The command-line side is tests/e2e/hardening_cli_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/model/plugin.h"
#include "sim/model/world.h"
#include "sim/scenario/input_file.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/yaml_limits.h"
#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string parse_error(const std::string& text) {
  return error_of([&] { parse_scenario_text(text, "s.yaml", builtin_catalogues()); });
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("faultline_hardening_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

TEST(Utf8, FindsTheFirstBadByteWithItsLineAndColumn) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii\n"));
  EXPECT_FALSE(find_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"));  // é € 😀
  // One Latin-1 é (0xE9) in a comment on line 3, after "# caf" and a 2-byte é on line 2.
  const auto bad = find_invalid_utf8("a: 1\nb: \xc3\xa9\n# caf\xe9 au lait\n");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->loc.line, 3);
  EXPECT_EQ(bad->loc.column, 6);
  EXPECT_EQ(bad->byte, 0xE9);
  EXPECT_TRUE(find_invalid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_TRUE(find_invalid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  EXPECT_TRUE(find_invalid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_TRUE(find_invalid_utf8("ab\xe2\x82"));        // truncated at the end
  EXPECT_TRUE(find_invalid_utf8("\xff"));
}

TEST(Utf8, AScenarioWithLatin1IsRefusedAtLoadWithItsLocation) {
  const std::string text = testing::small_scenario("", "  baseline: {}\n");
  const std::string latin1 = "# r\xe9sum\xe9\n" + text;
  EXPECT_EQ(parse_error(latin1).rfind("s.yaml:1:4: invalid UTF-8 (byte 0xE9)", 0), 0u)
      << parse_error(latin1);
}

TEST(InputFile, FolderDeviceMissingAndTooBigAreNamed) {
  TempDir t;
  EXPECT_NE(error_of([&] {
              read_input_file(t.path.string(), "scenario file", 100);
            }).find("is a folder; expected a scenario file"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_input_file((t.path / "nope").string(), "scenario file", 100);
            }).find("cannot open the scenario file (does it exist and is it readable?)"),
            std::string::npos);
  // /dev/zero never ends: reading stops one byte past the limit.
  EXPECT_NE(error_of([&] {
              read_input_file("/dev/zero", "scenario file", 1 << 20);
            }).find("larger than the 1 MiB limit"),
            std::string::npos);
  const fs::path big = t.path / "big.yaml";
  std::ofstream(big) << std::string(3000, '#');
  EXPECT_NE(error_of([&] {
              read_input_file(big.string(), "scenario file", 2048);
            }).find("larger than the"),
            std::string::npos);
  EXPECT_EQ(read_input_file(big.string(), "scenario file", 4096).size(), 3000u);
}

TEST(InputFile, TheLimitIsSetByFaultlineMaxInputMb) {
  TempDir t;
  const fs::path f = t.path / "two-mib.yaml";
  std::ofstream(f) << std::string((2 << 20) + 1, '#');
  EXPECT_NE(error_of([&] {
              read_input_file(f.string(), "scenario file", kMaxScenarioBytes / 2);
            }).find("limit"),
            std::string::npos);
  ::setenv("FAULTLINE_MAX_INPUT_MB", "3", 1);
  EXPECT_EQ(read_input_file(f.string(), "scenario file", kMaxScenarioBytes / 2).size(),
            (2u << 20) + 1);
  ::setenv("FAULTLINE_MAX_INPUT_MB", "-1", 1);
  EXPECT_NE(error_of([&] { input_limit(1); }).find("FAULTLINE_MAX_INPUT_MB: '-1' is not"),
            std::string::npos);
  ::unsetenv("FAULTLINE_MAX_INPUT_MB");
  EXPECT_EQ(input_limit(123), 123u);
}

TEST(YamlLimits, DeepNestingIsRefusedBeforeYamlCppRecurses) {
  // 5,000 levels of flow brackets: yaml-cpp would recurse (and stop only at 2,000).
  const std::string flow = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  EXPECT_EQ(parse_error(flow),
            "s.yaml:1:67: nested more than 64 levels deep; expected a "
            "scenario nested a few levels (the limit guards the parser's "
            "stack)");
  // Block nesting: "- - - - ..." and ever deeper indentation.
  std::string dashes;
  for (int i = 0; i < 100; ++i) dashes += "- ";
  EXPECT_NE(parse_error(dashes + "x\n").find("nested more than 64"), std::string::npos);
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  EXPECT_NE(parse_error(block).find("s.yaml:65:"), std::string::npos) << parse_error(block);
  // Brackets inside quotes, comments and block scalars are text, not nesting.
  const std::string text = "scenario: '" + std::string(100, '[') + "'\n# " + std::string(100, '{') +
                           "\ndescription: |\n  " + std::string(100, '[') + "\n";
  EXPECT_EQ(parse_error(text).find("nested"), std::string::npos) << parse_error(text);
  // Every shipped scenario is far below the limit.
  for (const auto& e : fs::directory_iterator(FAULTLINE_SOURCE_DIR "/scenarios"))
    if (e.path().extension() == ".yaml") {
      std::ifstream in(e.path());
      const std::string s((std::istreambuf_iterator<char>(in)), {});
      EXPECT_NO_THROW(check_yaml_depth(s, e.path().string(), 16)) << e.path();
    }
}

TEST(YamlLimits, AnAliasBombIsRefusedByItsExpandedNodeCount) {
  // Ten levels of ten aliases each: 10^10 nodes once expanded, 300 bytes of text.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += prev + (k < 9 ? ", " : "");
    text += "]\n";
  }
  const std::string error = parse_error(text);
  EXPECT_NE(error.find("more than 200000 YAML nodes once aliases (*name) are expanded"),
            std::string::npos)
      << error;
  // An alias chain nests deeper than the text: refused by depth after expansion.
  std::string chain = "b0: &b0 [x]\n";
  for (int i = 1; i <= 80; ++i)
    chain += "b" + std::to_string(i) + ": &b" + std::to_string(i) + " [*b" + std::to_string(i - 1) +
             "]\n";
  EXPECT_NE(parse_error(chain).find("nested more than 64"), std::string::npos);
}

TEST(FaultWindows, AFaultAfterTheHorizonIsRefusedAndAZeroLengthOneWarned) {
  const std::string after = testing::small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 20d, duration: 1h}\n",
      "  baseline: {}\n");
  EXPECT_NE(parse_error(after).find(".at: the fault starts at 20d, at or after the horizon (15d)"),
            std::string::npos)
      << parse_error(after);
  // A zero-length outage is inert by design: a warning at the value, not an error.
  const std::string zero = testing::small_scenario(
      "faults:\n  - {type: vendor_outage, target: alpha, at: 4d, duration: 0s}\n",
      "  baseline: {}\n");
  const Scenario s = parse_scenario_text(zero, "s.yaml", builtin_catalogues());
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("s.yaml:23:60: warning: faults[0] (vendor_outage).duration: a "
                               "zero-length fault never happens"),
            std::string::npos)
      << s.warnings[0];
}

// The bug: ReceiptMonitor kept one counter per vendor per simulated minute, so a
// 1000-year horizon allocated 4 GB per vendor per run before the first event.
TEST(ReceiptMonitor, MemoryIsBoundedByTheWindowNotTheHorizon) {
  ReceiptMonitor m;
  m.enable(2, 1000LL * 365 * kDay);
  m.record(0, 10 * kMinute, true);
  m.record(0, 11 * kMinute, false);
  EXPECT_DOUBLE_EQ(m.rate(0, 0, 20 * kMinute, 1), 0.5);
  // Far into the horizon, the ring has moved on and still answers its window.
  const SimTime late = 900LL * 365 * kDay;
  for (int i = 0; i < 10; ++i) m.record(1, late + i * kMinute, i < 3);
  EXPECT_DOUBLE_EQ(m.rate(1, late, late + 10 * kMinute, 1), 0.3);
  EXPECT_LT(m.rate(0, late, late + 10 * kMinute, 1), 0);  // nothing sent: no verdict
  EXPECT_LT(m.memory_bytes(), 1u << 20);
}

}  // namespace
}  // namespace faultline
