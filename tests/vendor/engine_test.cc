// The live engine decides each message with the simulator's vendor and carrier model and
// the scenario's fault windows (tests/vendor/engine.yaml: one fault kind per hour).
#include "adapters/vendor/engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/vendor/live_windows.h"
#include "sim/model/plugin.h"
#include "sim/model/registry.h"

namespace faultline::vendor {
namespace {

struct EngineTest : ::testing::Test {
  Scenario s = load_scenario(FAULTLINE_SOURCE_DIR "/tests/vendor/engine.yaml");
  Engine engine{s, 1234, live_windows(s, 1234)};
  static std::string number(int i) { return "+1555" + std::to_string(1000000 + i); }
};

TEST_F(EngineTest, TheQueueDrainsAtCapacity) {
  // 50 messages at one instant at 100/s: each leaves the queue 10 ms after the previous.
  for (int i = 0; i < 50; ++i) {
    const Fate f = engine.submit(0, number(i), 10 * kMinute);
    ASSERT_TRUE(f.accepted);
    if (f.cause == Cause::vendor_failure) continue;
    EXPECT_EQ(f.sent_at, 10 * kMinute + i * 10 * kMillisecond) << i;
  }
}

TEST_F(EngineTest, EachFaultWindowActsAsTheSimulatorSays) {
  const auto at = [&](SimTime t, int i) { return engine.submit(0, number(i), t); };
  // reject: refused at the API.
  EXPECT_FALSE(at(1 * kHour + kMinute, 1).accepted);
  EXPECT_EQ(engine.window_at(0, 0, 1 * kHour + kMinute), 0);
  // silent_drop: accepted, "sent", and never a final status or a receipt.
  int dropped = 0;
  for (int i = 0; i < 20; ++i) {
    const Fate f = at(2 * kHour + kMinute + i * kSecond, 100 + i);
    EXPECT_TRUE(f.accepted);
    EXPECT_EQ(f.window, 1);
    if (f.cause == Cause::dropped) {
      ++dropped;
      EXPECT_NE(f.sent_at, kTimeNever);
      EXPECT_EQ(f.receipt_at, kTimeNever);
      EXPECT_EQ(f.final_status, Status::queued);
    }
  }
  EXPECT_EQ(dropped, 20);
  // backlog: held until the window ends, then sent.
  const Fate held = at(3 * kHour + kMinute, 200);
  if (held.cause != Cause::vendor_failure) {
    EXPECT_EQ(held.sent_at, 3 * kHour + 10 * kMinute);
  }
  // receipt_loss: delivered, but the receipt never comes.
  int lost_receipts = 0;
  for (int i = 0; i < 20; ++i) {
    const Fate f = at(4 * kHour + kMinute + i * kSecond, 300 + i);
    if (f.cause != Cause::delivered) continue;
    EXPECT_EQ(f.final_status, Status::delivered);
    lost_receipts += f.receipt_at == kTimeNever;
  }
  EXPECT_GT(lost_receipts, 15);
  // spam filtering: delivered (the receipt says so) but filtered.
  const Fate spam = at(5 * kHour + kMinute, 400);
  if (spam.cause == Cause::delivered) {
    EXPECT_TRUE(spam.filtered);
    EXPECT_EQ(spam.receipt_status, Status::delivered);
  }
  // suspension of every east number from 6h: undeliverable (30005); west ones delivered.
  int east = 0, west = 0;
  for (int i = 0; i < 40; ++i) {
    const Fate f = at(7 * kHour + i * kSecond, 500 + i);
    if (f.cause == Cause::vendor_failure) continue;
    if (f.carrier == 0) {
      ++east;
      EXPECT_EQ(f.cause, Cause::undeliverable);
      EXPECT_EQ(f.error_code, 30005);
      EXPECT_EQ(f.final_status, Status::undelivered);
    } else {
      ++west;
      EXPECT_EQ(f.cause, Cause::delivered);
    }
  }
  EXPECT_GT(east, 5);
  EXPECT_GT(west, 5);
}

TEST_F(EngineTest, FailureRateFollowsTheModel) {
  // failure_probability 2 %: over 20,000 messages the count is binomial(20000, 0.02),
  // sd = 19.8; ±5 sd is a test that fails only when the rate is wrong.
  int failed = 0;
  for (int i = 0; i < 20000; ++i)
    failed += engine.submit(0, number(i), 8 * kHour + i * 20 * kMillisecond).cause ==
              Cause::vendor_failure;
  EXPECT_NEAR(failed, 400, 5 * 19.8);
}

TEST_F(EngineTest, SameTrafficSameFates) {
  Engine again(s, 1234, live_windows(s, 1234));
  Engine other_seed(s, 99, live_windows(s, 99));
  int differ = 0;
  for (int i = 0; i < 200; ++i) {
    const SimTime t = 9 * kHour + i * kSecond;
    const Fate a = engine.submit(0, number(i % 50), t), b = again.submit(0, number(i % 50), t);
    EXPECT_EQ(a.final_at, b.final_at);
    EXPECT_EQ(a.cause, b.cause);
    EXPECT_EQ(a.receipt_at, b.receipt_at);
    differ += other_seed.submit(0, number(i % 50), t).final_at != a.final_at;
  }
  EXPECT_GT(differ, 150);  // another seed, other luck
}

TEST(EngineFaults, TheSmsPathFaultsApplyThemselvesThroughTheirPlugins) {
  // The engine keeps no list of fault types: which faults act live, and on a vendor or a
  // carrier, comes from each plug-in (apply_sms and its `target` parameter).
  for (const char* t : {"vendor_outage", "vendor_degradation", "spam_filtering"}) {
    EXPECT_TRUE(targets_vendor(t)) << t;
    EXPECT_FALSE(targets_carrier(t)) << t;
  }
  for (const char* t : {"carrier_outage", "subscriber_suspension"}) {
    EXPECT_TRUE(targets_carrier(t)) << t;
    EXPECT_FALSE(targets_vendor(t)) << t;
  }
  for (const char* t : {"core_cutover", "gateway_outage", "link_outage", "no_such_fault"})
    EXPECT_FALSE(targets_vendor(t) || targets_carrier(t)) << t;
  for (const FaultPlugin& p : fault_registry().plugins()) {
    if (p.apply_sms == nullptr) continue;
    EXPECT_TRUE(targets_vendor(p.info.name) || targets_carrier(p.info.name))
        << p.info.name << ": an SMS-path fault names the vendor or carrier it breaks";
  }
}

TEST(EngineFaults, WindowsThatAreNotEveryOccurrenceAreRefused) {
  // A window's keyed draws depend on its occurrence, so a gap would shift them silently.
  const Scenario s = load_scenario(FAULTLINE_SOURCE_DIR "/tests/vendor/engine.yaml");
  std::vector<LiveWindow> windows = live_windows(s, 1234);
  ASSERT_FALSE(windows.empty());
  windows.front().occurrence = 1;
  EXPECT_THROW(Engine(s, 1234, windows), std::invalid_argument);
}

TEST(EngineCorrelated, PerBorrowerFaultsHitTheSameNumbersEveryTime) {
  // tests/vendor/engine-corr.yaml: per: borrower, the vendor fails 30 % of numbers and the
  // filter takes 40 % of numbers, every message to them, nothing else fails. 2,000 numbers
  // × 3 messages, sent number by number to one engine and message by message (with the
  // numbers written another way) to another: the same fates, all three or none per
  // number, shares within 5 sd of a binomial (0.3 over 2,000: 0.051; 0.4 over the ~1,400
  // not failed: 0.066).
  const Scenario s = load_scenario(FAULTLINE_SOURCE_DIR "/tests/vendor/engine-corr.yaml");
  Engine by_number(s, 1234, live_windows(s, 1234)), by_message(s, 1234, live_windows(s, 1234));
  const std::size_t n = 2000;
  const auto number = [](std::size_t i, bool spaced) {
    const std::string d = std::to_string(2000000 + i);
    return spaced ? "+1 555 " + d.substr(0, 3) + "-" + d.substr(3) : "+1555" + d;
  };
  const auto at = [](std::size_t i, std::size_t k) {
    return kHour + static_cast<SimTime>(k) * 30 * kMinute +
           static_cast<SimTime>(i) * 100 * kMillisecond;
  };
  std::vector<std::vector<Fate>> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 3; ++k)
      a[i].push_back(by_number.submit(0, number(i, false), at(i, k)));
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < n; ++i)
      b[i].push_back(by_message.submit(0, number(i, true), at(i, k)));
  int failed = 0, filtered = 0, delivered = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int f = 0, spam = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      ASSERT_EQ(a[i][k].cause, b[i][k].cause) << i << " " << k;
      EXPECT_EQ(a[i][k].filtered, b[i][k].filtered) << i << " " << k;
      f += a[i][k].cause == Cause::vendor_failure;
      spam += a[i][k].filtered;
    }
    EXPECT_TRUE(f == 0 || f == 3) << i;
    EXPECT_TRUE(spam == 0 || spam == 3) << i;
    failed += f == 3;
    delivered += f == 0;
    filtered += spam == 3;
  }
  EXPECT_NEAR(failed / 2000.0, 0.3, 5 * std::sqrt(0.21 / 2000));
  EXPECT_NEAR(static_cast<double>(filtered) / delivered, 0.4, 5 * std::sqrt(0.24 / delivered));
  // After the window the same numbers are not hit.
  int after = 0;
  for (std::size_t i = 0; i < 200; ++i)
    after += by_number.submit(0, number(i, false), 4 * kHour).cause == Cause::vendor_failure;
  EXPECT_EQ(after, 0);
}

TEST(EngineNumbers, TheSubscriberIgnoresFormatting) {
  EXPECT_EQ(Engine::subscriber_of("+1 (555) 010-0000"), Engine::subscriber_of("+15550100000"));
  EXPECT_NE(Engine::subscriber_of("+15550100000"), Engine::subscriber_of("+15550100001"));
}

}  // namespace
}  // namespace faultline::vendor
