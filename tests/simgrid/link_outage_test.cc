// A link outage is a SimGrid state profile: the messages that cross the link while it is
// down are lost, and their number follows from the schedule.
//
// Set-up: one vendor sending at exactly 100 messages/s (no per-message failures), one
// carrier, ~5,000 borrowers due on day 5, so the day-4 09:00 batch drains for ~50 s. The
// vendor's access link ("vendor/alpha", default: 100 Mbps, 20 ms) is down from 09:00:10
// for 5 s. A message is lost when it starts while the link is down (5 s × 100/s = 500)
// or is still on the link when it goes down: a 200-byte leg takes 41 ms (20 + 1 + 20 ms
// of latency, 16 µs of transmission), so 4 more. Expected: 504, ±2 for where the batch
// start (export leg: ~2 ms) puts the boundaries.
#include <gtest/gtest.h>

#include <cstring>

#include "sim/engines/simgrid/engine.h"
#include "sim/model/population.h"
#include "simgrid_fixture.h"

namespace faultline {
namespace {

// Bit for bit: metrics that are NaN (no data) compare equal too.
bool same_metrics(const MetricValues& a, const MetricValues& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string outage_scenario(const std::string& faults,
                            const std::string& network = "  network: {export_record_size: 1B}\n") {
  return "scenario: link-outage\nengine: simgrid\nhorizon: 12d\nseed: 3\n"
         "population:\n  borrowers: 5000\n  due_day: 5\n"
         "channels:\n  sms: {vendors: [alpha]}\n"
         "infrastructure:\n  vendors:\n    alpha: {capacity: 100/s, failure_probability: 0}\n" +
         network + "reminders:\n  - {before_due: 1d, at: \"09:00\"}\n" + faults +
         "strategies:\n  baseline: {}\n";
}

SimgridRunOutput run_once(const Scenario& s) {
  const std::uint64_t seed = replication_seed(s.seed, 0, 0);
  const Population p = Population::generate(s, seed);
  return run_simgrid(s, p, s.strategies[0], seed);
}

TEST(LinkOutage, LosesTheMessagesOnTheLinkWhileItIsDown) {
  const Scenario clear = testing::parse_text(outage_scenario(""));
  const Scenario cut =
      testing::parse_text(outage_scenario("faults:\n  - {type: link_outage, target: vendor/alpha, "
                                          "at: \"4d 09:00:10\", duration: 5s}\n"));
  const SimgridRunOutput a = run_once(clear), b = run_once(cut);
  EXPECT_EQ(a.network_lost, 0u);
  EXPECT_GE(b.network_lost, 502u);
  EXPECT_LE(b.network_lost, 506u);
  // Every lost message is a reminder not delivered; nothing else changes.
  EXPECT_EQ(a.run.counters.reminders_scheduled, b.run.counters.reminders_scheduled);
  EXPECT_EQ(a.run.counters.reminders_delivered - b.run.counters.reminders_delivered,
            b.network_lost);
  // Started on the dead link (and lost at once, as SimGrid would leave them pending):
  // the ~500 that start inside the window.
  EXPECT_GE(b.lost_at_start, 498u);
  EXPECT_LE(b.lost_at_start, 502u);
}

TEST(LinkOutage, APlatformFileGetsTheSameOutage) {
  // The same star as a SimGrid XML file: its links are sealed at load, so the outage is
  // applied in lock step (turn_off/turn_on) at the same dates. The default 2 KB records
  // make the export 10 MB (80 ms), which shifts the sends but not how many the window hits.
  const std::string platform =
      "  platform: " FAULTLINE_SOURCE_DIR "/tests/data/platform-star.xml\n";
  const Scenario cut = testing::parse_text(outage_scenario(
      "faults:\n  - {type: link_outage, target: vendor/alpha, at: \"4d 09:00:10\", duration: 5s}\n",
      platform));
  const SimgridRunOutput b = run_once(cut);
  EXPECT_GE(b.network_lost, 502u);
  EXPECT_LE(b.network_lost, 506u);
  const Scenario typo = testing::parse_text(outage_scenario(
      "faults:\n  - {type: link_outage, target: vendor/alfa, at: \"4d 09:00\"}\n", platform));
  try {
    run_once(typo);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(
        std::string(e.what()).find(
            "test.yaml:17:5: link_outage.target: the platform file has no link 'vendor/alfa'"),
        std::string::npos)
        << e.what();
  }
}

TEST(LinkOutage, AnOutageOutsideTheTrafficChangesNothing) {
  const Scenario clear = testing::parse_text(outage_scenario(""));
  const Scenario night = testing::parse_text(outage_scenario(
      "faults:\n  - {type: link_outage, target: vendor/alpha, at: \"4d 02:00\", duration: 2h}\n"));
  const SimgridRunOutput a = run_once(clear), b = run_once(night);
  EXPECT_EQ(b.network_lost, 0u);
  EXPECT_TRUE(same_metrics(compute_metrics(a.run.counters), compute_metrics(b.run.counters)));
}

TEST(LinkOutage, AnExportLostToTheNetworkSkipsTheBatch) {
  // The core's access link is down when the 09:00 batch is exported: the batch is not sent.
  const Scenario s = testing::parse_text(outage_scenario(
      "faults:\n  - {type: link_outage, target: core, at: \"4d 08:59\", duration: 5m}\n"));
  const SimgridRunOutput out = run_once(s);
  EXPECT_EQ(out.run.counters.reminders_delivered, 0u);
  EXPECT_EQ(out.run.counters.batches_suppressed, 1u);
  EXPECT_GT(out.run.counters.reminders_scheduled, 3000u);  // the unpaid ones at 09:00
}

}  // namespace
}  // namespace faultline
