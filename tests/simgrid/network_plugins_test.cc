// The network-level plug-ins, each by its effect on the reminder batch export (core →
// notification) in the SimGrid engine, and the coverage of them (tests/plugin_coverage.h).
//
// Set-up: ~5,000 borrowers due on day 5, one 09:00 batch on day 4; the default star
// (1 Gbps access links, a 10 Gbps backbone, CM02: latency + size / bandwidth, max-min
// sharing); 2 KB records make the export 10 MB: 80 ms on an idle 1 Gbps link. With a
// 2-second send window the batch is sent when its export arrives within 2 s of 09:00
// and skipped otherwise (batches_suppressed = 1, nothing delivered) — a sharp threshold,
// so each test states the export time it expects and asserts the side it falls on.
#include <gtest/gtest.h>

#include "sim/engines/simgrid/engine.h"
#include "sim/model/population.h"
#include "simgrid_fixture.h"
#include "tests/plugin_coverage.h"

namespace faultline {
namespace {

std::string export_scenario(const std::string& faults, const std::string& strategy = "{}") {
  return "scenario: export\nengine: simgrid\nhorizon: 12d\nseed: 5\n"
         "population:\n  borrowers: 5000\n  due_day: 5\n"
         "channels:\n  sms: {vendors: [alpha]}\n"
         "infrastructure:\n  vendors:\n    alpha: {capacity: 500/s, failure_probability: 0}\n"
         "  network: {send_window: 2s}\n"
         "reminders:\n  - {before_due: 1d, at: \"09:00\"}\n" +
         faults + "strategies:\n  only: " + strategy + "\n";
}

Counters run_once(const std::string& faults, const std::string& strategy = "{}") {
  const Scenario s = testing::parse_text(export_scenario(faults, strategy));
  const std::uint64_t seed = replication_seed(s.seed, 0, 0);
  const Population p = Population::generate(s, seed);
  return run_simgrid(s, p, s.strategies[0], seed).run.counters;
}

bool batch_sent(const Counters& c) {
  return c.batches_suppressed == 0 && c.reminders_delivered > 0;
}

// 64 streams of a 100 GB replay from 08:59 share the core's access link with the export:
// the export gets 1/65 of 1 Gbps, 5.2 s for 10 MB — past the 2 s window. (The replay
// alone takes 800 s, so it still runs at 09:00.)
const std::string kReplay =
    "faults:\n  - {type: bulk_transfer, size: 100GB, streams: 64, at: \"4d 08:59\"}\n";

TEST(LinkDegradation, SlowsTheExportPastItsSendWindow) {
  EXPECT_TRUE(batch_sent(run_once(""))) << "an idle link: 80 ms";
  // The core's access link at 10 %: 100 Mbps, 0.8 s — still in time.
  EXPECT_TRUE(
      batch_sent(run_once("faults:\n  - {type: link_degradation, target: core, at: "
                          "\"4d 08:00\", duration: 2h, bandwidth: 10%}\n")));
  // At 1 %: 10 Mbps, 8 s — skipped.
  const Counters slow = run_once(
      "faults:\n  - {type: link_degradation, target: core, at: \"4d 08:00\", duration: 2h, "
      "bandwidth: 1%}\n");
  EXPECT_EQ(slow.batches_suppressed, 1u);
  EXPECT_EQ(slow.reminders_delivered, 0u);
  // The same degradation every day but not at 09:00 changes nothing.
  EXPECT_TRUE(
      batch_sent(run_once("faults:\n  - {type: link_degradation, target: core, at: "
                          "\"0d 12:00\", duration: 2h, bandwidth: 1%, repeat: 10}\n")));
}

TEST(BulkTransfer, StarvesTheExportOfTheLinksItShares) {
  const Counters c = run_once(kReplay);
  EXPECT_EQ(c.batches_suppressed, 1u);
  EXPECT_EQ(c.reminders_delivered, 0u);
  // The same replay an hour later leaves the batch alone.
  EXPECT_TRUE(batch_sent(run_once(
      "faults:\n  - {type: bulk_transfer, size: 100GB, streams: 64, at: \"4d 10:00\"}\n")));
}

TEST(RateLimitExport, LeavesTheExportTheRestOfTheLink) {
  // The replay capped at 100 Mbps: the export gets the other 900 Mbps, ~0.09 s.
  EXPECT_TRUE(batch_sent(run_once(kReplay, "{rate_limit_export: {rate: 100Mbps}}")));
}

TEST(DedicatedLink, GivesTheExportARouteOfItsOwn) {
  EXPECT_TRUE(batch_sent(run_once(kReplay, "{dedicated_link: {bandwidth: 100Mbps}}")));
}

TEST(StageReplay, StagesThatEndBeforeTheBatchNeverMeetIt) {
  // Four stages of 25 GB (200 s each, the first 08:59–09:02:20) a day apart: the first
  // still meets the 09:00 batch. Starting at 08:50, the first ends at 08:53:20.
  const std::string early =
      "faults:\n  - {type: bulk_transfer, size: 100GB, streams: 64, at: \"4d 08:50\"}\n";
  EXPECT_EQ(run_once(early).batches_suppressed, 1u) << "unstaged: 800 s from 08:50";
  EXPECT_TRUE(batch_sent(run_once(early, "{stage_replay: {stages: 4, every: 24h}}")));
}

TEST(PluginCoverage, EveryNetworkPluginHasAnEffectTest) {
  testing::expect_files_and_effect_tests(fault_registry(), FAULTLINE_FAULT_FILES, true);
  testing::expect_files_and_effect_tests(mitigation_registry(), FAULTLINE_MITIGATION_FILES, true);
}

}  // namespace
}  // namespace faultline
