// Adding a plug-in is adding one file: tests/unit/toy_plugins/ holds a toy fault and a
// toy mitigation, each one file that registers itself; the folder is built with the same
// CMake helper as sim/faults and sim/mitigations (faultline_plugins(): glob, linked
// whole). Nothing else names them, yet the parser, the listing and the World find them.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/plugins/listing.h"
#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

using namespace testing;

const std::string kBlackout =
    "faults:\n  - {type: toy_blackout, at: 4d 08:00, duration: 2h, every: 1d, repeat: 2}\n";

TEST(ToyPlugin, IsRegisteredListedAndParsedLikeABuiltInOne) {
  ASSERT_NE(fault_registry().find("toy_blackout"), nullptr) << "the linker dropped the file";
  ASSERT_NE(mitigation_registry().find("toy_redo"), nullptr);
  EXPECT_NE(catalogue_listing({"faults"}).find("toy_blackout — every reminder channel is off"),
            std::string::npos);
  EXPECT_NE(catalogue_listing({"mitigations", "--format", "markdown"})
                .find("| `toy_redo` | `after` (duration, `3h`) |"),
            std::string::npos);
  const Scenario s = parse_text(small_scenario(kBlackout, "  baseline: {toy_redo: {after: 1h}}\n"));
  EXPECT_EQ(s.faults[0].params.number("repeat"), 2);
  EXPECT_EQ(s.strategies[0].mitigations[0].params.time("after"), kHour);
  // Unknown parameters are refused as for any plug-in.
  EXPECT_THROW(parse_text(small_scenario("faults:\n  - {type: toy_blackout, at: 4d, colour: red}\n",
                                         "  baseline: {}\n")),
               ScenarioError);
}

TEST(ToyPlugin, ActsInTheModel) {
  const Counters base = run_once("");
  // The day-4 and day-5 09:00 batches (half the borrowers) fall in the windows.
  const Counters dark = run_once(kBlackout);
  EXPECT_EQ(dark.batches_suppressed, 2u);
  // Those borrowers (a share ~ 0.5 of 20,000) lose the reminders the baseline delivers
  // (95 %): 5 standard errors of a proportion of 10,000, as in faults_test.cc.
  EXPECT_NEAR(rate(lost(dark) - lost(base), base.reminders_scheduled), 0.5 * 0.95,
              5 * std::sqrt(0.25 / 10000.0));
  // The toy mitigation runs both batches again at 10:00, after the windows.
  const Counters redone = run_once(kBlackout, "  baseline: {toy_redo: {after: 1h}}\n");
  EXPECT_EQ(redone.batches_suppressed, 2u);
  EXPECT_GT(redone.reminders_delivered, base.reminders_delivered * 95 / 100);
}

}  // namespace
}  // namespace faultline
