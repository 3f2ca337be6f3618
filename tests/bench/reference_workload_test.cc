// Checks that the hand-written reference workload (reference_workload.h) is the workload
// issue 7 describes, so the baseline the kernel is compared against is the right one:
// each reminder delivered exactly once, the vendor a FIFO server at 500/s, the pay share
// as drawn, the event count, and draws that follow the documented keyed-stream contract.
// Tolerances come from sampling error: 5 standard errors, a false alarm about once in
// 1.7 million runs, as in tests/unit/random_test.cc.
#include "tests/bench/reference_workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace faultline::bench {
namespace {

constexpr std::uint64_t kBorrowers = 20'000;
constexpr std::uint64_t kSeed = 7;

struct Trace {
  std::vector<int> deliveries;  // per borrower
  std::vector<SimTime> delivered_at_us;
  std::vector<SimTime> paid_at_us;
  std::vector<SimTime> completions_us;  // in processing order

  void on_delivered(std::uint32_t borrower, SimTime at_us) {
    ++deliveries[borrower];
    delivered_at_us[borrower] = at_us;
    completions_us.push_back(at_us);
  }
  void on_paid(std::uint32_t borrower, SimTime at_us) { paid_at_us[borrower] = at_us; }
};

struct SmallRun {
  ReferenceConfig config;
  Trace trace;
  ReferenceResult result;
};

SmallRun traced_run(SimTime reminder_window_us) {
  SmallRun r;
  r.config.borrowers = kBorrowers;
  r.config.seed = kSeed;
  r.config.reminder_window_us = reminder_window_us;
  r.trace.deliveries.assign(kBorrowers, 0);
  r.trace.delivered_at_us.assign(kBorrowers, -1);
  r.trace.paid_at_us.assign(kBorrowers, -1);
  r.result = run_reference_workload(r.config, r.trace);
  return r;
}

// The workload as specified: at 20,000 borrowers over 3 days the vendor is nearly idle.
const SmallRun& small_run() {
  static const SmallRun run = traced_run(3 * kDay);
  return run;
}

TEST(ReferenceWorkload, DeliversEveryReminderExactlyOnce) {
  const SmallRun& run = small_run();
  EXPECT_EQ(run.result.reminders, kBorrowers);
  EXPECT_EQ(run.result.delivered, kBorrowers);
  for (std::uint64_t i = 0; i < kBorrowers; ++i) ASSERT_EQ(run.trace.deliveries[i], 1) << i;
}

TEST(ReferenceWorkload, PaidShareWithinFiveStandardErrors) {
  const SmallRun& run = small_run();
  const double p = run.config.pay_probability;
  const double share = static_cast<double>(run.result.paid) / static_cast<double>(kBorrowers);
  const double standard_error = std::sqrt(p * (1 - p) / static_cast<double>(kBorrowers));
  EXPECT_NEAR(share, p, 5 * standard_error);
}

TEST(ReferenceWorkload, VendorIsFifoAtCapacity) {
  const SmallRun& run = small_run();
  const std::vector<SimTime>& done = run.trace.completions_us;
  ASSERT_EQ(done.size(), kBorrowers);
  // One message in service at a time: completions at least one service time apart.
  for (std::size_t i = 1; i < done.size(); ++i) {
    ASSERT_GE(done[i] - done[i - 1], run.config.service_time_us) << "completion " << i;
  }
  // No message leaves before it arrived and was served.
  const KeyedRandom reminder(kSeed, kReminderStream);
  for (std::uint64_t i = 0; i < kBorrowers; ++i) {
    ASSERT_GE(run.trace.delivered_at_us[i],
              reminder_time_us(run.config, reminder, i) + run.config.service_time_us)
        << "borrower " << i;
  }
}

TEST(ReferenceWorkload, VendorServesInArrivalOrderUnderOverload) {
  // At the specified load a queue rarely forms, so the FIFO path is exercised here:
  // 20,000 reminders in 20 s is 1,000/s against a capacity of 500/s.
  const SmallRun run = traced_run(20 * kSecond);
  ASSERT_GT(run.result.peak_vendor_backlog, 1000u);
  EXPECT_EQ(run.result.delivered, kBorrowers);
  const KeyedRandom reminder(kSeed, kReminderStream);
  std::vector<std::pair<SimTime, std::uint64_t>> arrivals;  // (time, borrower): tie order
  for (std::uint64_t i = 0; i < kBorrowers; ++i) {
    arrivals.emplace_back(reminder_time_us(run.config, reminder, i), i);
  }
  std::sort(arrivals.begin(), arrivals.end());
  for (std::size_t k = 1; k < arrivals.size(); ++k) {
    const SimTime gap_us = run.trace.delivered_at_us[arrivals[k].second] -
                           run.trace.delivered_at_us[arrivals[k - 1].second];
    ASSERT_GE(gap_us, run.config.service_time_us) << "arrival " << k;
  }
  // Saturated from shortly after the start, so the last message leaves at about
  // N x service time: the vendor neither idles nor exceeds its capacity.
  const SimTime last_us =
      *std::max_element(run.trace.completions_us.begin(), run.trace.completions_us.end());
  EXPECT_GE(last_us, static_cast<SimTime>(kBorrowers) * run.config.service_time_us);
  EXPECT_LT(last_us, static_cast<SimTime>(kBorrowers) * run.config.service_time_us + kSecond);
}

TEST(ReferenceWorkload, EventsAreTwoPerBorrowerPlusPayments) {
  const SmallRun& run = small_run();
  EXPECT_EQ(run.result.events, 2 * kBorrowers + run.result.paid);
}

TEST(ReferenceWorkload, DrawsFollowTheKeyedStreamContract) {
  // A faultline scenario reproduces these outcomes only if they are pure functions of
  // (seed, stream name, borrower): check each borrower against the documented draws.
  const SmallRun& run = small_run();
  const KeyedRandom reminder(kSeed, kReminderStream);
  const KeyedRandom behaviour(kSeed, kBehaviourStream);
  for (std::uint64_t i = 0; i < kBorrowers; ++i) {
    const SimTime reminder_us = reminder_time_us(run.config, reminder, i);
    ASSERT_GE(reminder_us, 0);
    ASSERT_LT(reminder_us, run.config.reminder_window_us);
    if (pays(run.config, behaviour, i)) {
      ASSERT_EQ(run.trace.paid_at_us[i],
                run.trace.delivered_at_us[i] + pay_delay_us(run.config, behaviour, i))
          << "borrower " << i;
    } else {
      ASSERT_EQ(run.trace.paid_at_us[i], -1) << "borrower " << i;
    }
  }
}

TEST(ReferenceWorkload, SameSeedSameResultOtherSeedOtherResult) {
  const SmallRun& run = small_run();
  ReferenceConfig config = run.config;
  const ReferenceResult again = run_reference_workload(config);
  EXPECT_EQ(again.paid, run.result.paid);
  EXPECT_EQ(again.end_us, run.result.end_us);
  config.seed = kSeed + 1;
  EXPECT_NE(run_reference_workload(config).end_us, run.result.end_us);
}

// The streaming baseline is the same program in another shape: for the specified window,
// an overloaded vendor (a 10 s window) and one where many reminders share a microsecond
// (a 1 ms window: ties go in borrower order), it makes the same calls in the same order
// and ends with the same counts as the preloading loop — while its heap holds far fewer
// events.
struct OrderedLog {
  std::vector<std::uint64_t> calls;  // (kind, borrower, time) folded into one word each
  void on_delivered(std::uint32_t borrower, SimTime at_us) {
    calls.push_back((static_cast<std::uint64_t>(at_us) << 31) | borrower);
  }
  void on_paid(std::uint32_t borrower, SimTime at_us) {
    calls.push_back((static_cast<std::uint64_t>(at_us) << 31) | (1ULL << 30) | borrower);
  }
};

TEST(ReferenceWorkload, StreamingMatchesPreloadingCallForCall) {
  for (const SimTime window : {3 * kDay, 10 * kSecond, SimTime{1000}}) {
    ReferenceConfig config;
    config.borrowers = kBorrowers;
    config.seed = kSeed;
    config.reminder_window_us = window;
    OrderedLog preload_log, stream_log;
    const ReferenceResult preload = run_reference_workload(config, preload_log);
    const ReferenceResult stream = run_reference_workload_streaming(config, stream_log);
    EXPECT_EQ(stream.events, preload.events) << window;
    EXPECT_EQ(stream.reminders, preload.reminders) << window;
    EXPECT_EQ(stream.delivered, preload.delivered) << window;
    EXPECT_EQ(stream.paid, preload.paid) << window;
    EXPECT_EQ(stream.peak_vendor_backlog, preload.peak_vendor_backlog) << window;
    EXPECT_EQ(stream.end_us, preload.end_us) << window;
    ASSERT_EQ(stream_log.calls.size(), preload_log.calls.size()) << window;
    EXPECT_TRUE(stream_log.calls == preload_log.calls) << window;
    // The preloading heap starts with every reminder; the streaming one never holds one.
    EXPECT_GE(preload.peak_pending, kBorrowers) << window;
    EXPECT_LE(stream.peak_pending, stream.paid + 1) << window;
  }
  // At the specified load only the ~6 h of payments are pending: a small share of N.
  ReferenceConfig config;
  config.borrowers = kBorrowers;
  config.seed = kSeed;
  EXPECT_LT(run_reference_workload_streaming(config).peak_pending, kBorrowers / 4);
}

}  // namespace
}  // namespace faultline::bench
