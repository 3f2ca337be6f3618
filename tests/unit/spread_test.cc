// Reminder rules with `spread`: each borrower's send time is the batch time plus a keyed
// uniform offset in [0, spread), the offsets cover the window evenly, delivery latency is
// measured from the borrower's own send time, and runs stay deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

using testing::parse_text;
using testing::run_once;
using testing::small_scenario;

std::string with_rule(const std::string& rule) {
  std::string text = small_scenario("", "  baseline: {}\n");
  const std::string from = "reminders:\n  - {before_due: 1d}\n";
  text.replace(text.find(from), from.size(), "reminders:\n  - " + rule + "\n");
  return text;
}

TEST(ReminderSpread, ParsesAndDefaultsToZero) {
  EXPECT_EQ(parse_text(with_rule("{before_due: 1d}")).reminders[0].spread, 0);
  EXPECT_EQ(
      parse_text(with_rule("{before_due: 2d, at: \"00:00\", spread: 3d}")).reminders[0].spread,
      3 * kDay);
  EXPECT_EQ(parse_text(with_rule("{before_due: 1d, spread: 90m}")).reminders[0].spread,
            90 * kMinute);
}

TEST(ReminderSpread, RejectsNegativeSpread) {
  try {
    parse_text(with_rule("{before_due: 1d, spread: -1h}"));
    FAIL() << "a negative spread was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("reminders[].spread"), std::string::npos) << e.what();
  }
}

TEST(ReminderSpread, SendTimesCoverTheWindowUniformly) {
  // One rule at 00:00 two days before the due day, spread over a day: the hourly sends
  // series must show sends in every hour of that day, about evenly, and none outside.
  const Scenario s = parse_text(with_rule("{before_due: 2d, at: \"00:00\", spread: 1d}"));
  const Counters c = run_once(s);
  ASSERT_EQ(c.series.bin_width(), kHour);
  // Due days 5-8, so the windows are days 3-6 (each one day long): 96 hours with sends.
  std::uint64_t total = 0, lo = UINT64_MAX, hi = 0;
  for (std::size_t h = 0; h < c.series.bins(); ++h) {
    const std::uint32_t n = c.series.at(Series::sms_sent, h);
    const bool inside = h >= 3 * 24 && h < 7 * 24;
    if (!inside) {
      EXPECT_EQ(n, 0u) << "sends outside the spread windows, hour " << h;
      continue;
    }
    total += n;
    lo = std::min<std::uint64_t>(lo, n);
    hi = std::max<std::uint64_t>(hi, n);
  }
  EXPECT_EQ(total, c.sms_sent);
  // 20,000 borrowers / 96 hours ≈ 208 a bin: every bin within 5 standard errors (±72).
  EXPECT_GT(lo, 208u - 72u);
  EXPECT_LT(hi, 208u + 72u);
}

TEST(ReminderSpread, LatencyIsMeasuredFromEachBorrowersSendTime) {
  // With spread, delivery latency stays the pipeline's (seconds), not the spread (hours).
  const Counters spread = run_once(parse_text(with_rule("{before_due: 1d, spread: 12h}")));
  const Counters plain = run_once(parse_text(with_rule("{before_due: 1d}")));
  EXPECT_LT(spread.delivery_latency.quantile_s(0.5), 60.0);
  // Without the batch's queue at the vendor (sends are spread), latency is lower.
  EXPECT_LE(spread.delivery_latency.quantile_s(0.5), plain.delivery_latency.quantile_s(0.5));
  // Spreading only delays each reminder (by up to 12 h, 6 h on average) past the batch's
  // own queue (at most 10 s): with the same draws, a borrower who acts on it pays at most
  // 12 h later. Those who act (forgetters 20 % × 40 % ≈ 1,600 of 20,000, 95 % delivered)
  // pay an Exp(6 h) after seeing it, before their deadline 39 h after 09:00 unless the
  // delay exceeds what is left: p = e^(-39/6) = 0.0015 without spread, and
  // (1/12) ∫₀¹² e^(-(39-u)/6) du = 0.0048 with it. So about 1,520 × 0.0033 ≈ 5 borrowers
  // move from on time to late, a count that is Poisson (5 sd: 11); none the other way
  // beyond the queue's seconds, and nobody misses (grace is 5 days).
  const auto moved =
      static_cast<double>(plain.paid_on_time) - static_cast<double>(spread.paid_on_time);
  EXPECT_GE(moved, 0);
  EXPECT_NEAR(moved, 5.0, 5 * std::sqrt(5.0));
  EXPECT_EQ(spread.paid_late - plain.paid_late, plain.paid_on_time - spread.paid_on_time);
  EXPECT_EQ(spread.missed_payments, plain.missed_payments);
}

TEST(ReminderSpread, SameSeedSameCounters) {
  const Scenario s = parse_text(with_rule("{before_due: 2d, at: \"06:00\", spread: 2d}"));
  const Counters a = run_once(s), b = run_once(s);
  EXPECT_TRUE(identical(compute_metrics(a), compute_metrics(b)));
  EXPECT_EQ(a.events, b.events);
}

}  // namespace
}  // namespace faultline
