// The kernel's ordering, tie-breaking, cancellation and run-bound contracts.
#include "sim/kernel/kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace faultline {
namespace {

struct Log {
  std::vector<std::pair<SimTime, std::uint64_t>> seen;  // (time, arg)
};

void record(void* ctx, Kernel& k, const Event& e) {
  static_cast<Log*>(ctx)->seen.emplace_back(k.now(), e.arg);
}

TEST(Kernel, RunsEventsInTimeOrder) {
  Kernel k;
  Log log;
  const HandlerId h = k.add_handler("record", record, &log);
  k.schedule_at(30, h, 0, 3);
  k.schedule_at(10, h, 0, 1);
  k.schedule_at(20, h, 0, 2);
  const RunResult r = k.run();
  EXPECT_EQ(r.reason, StopReason::kQueueEmpty);
  EXPECT_EQ(r.events_processed, 3u);
  ASSERT_EQ(log.seen.size(), 3u);
  EXPECT_EQ(log.seen[0], std::make_pair(SimTime{10}, std::uint64_t{1}));
  EXPECT_EQ(log.seen[1], std::make_pair(SimTime{20}, std::uint64_t{2}));
  EXPECT_EQ(log.seen[2], std::make_pair(SimTime{30}, std::uint64_t{3}));
}

// A handler's prefetch is called with its own registered context (not the handler's)
// and with the event about to run next, before the current event is handled; handlers
// registered without one get none.
struct Prefetched {
  std::vector<std::pair<const void*, std::uint64_t>> calls;  // (context, next event's arg)
  std::size_t handled_when_called = 0;
  const Log* log = nullptr;
};
Prefetched* g_prefetched = nullptr;  // the test's record; the prefetch must not be given it
void note_prefetch(const void* context, const Event& next) {
  g_prefetched->calls.emplace_back(context, next.arg);
  g_prefetched->handled_when_called = g_prefetched->log->seen.size();
}

TEST(Kernel, PrefetchGetsItsOwnContextAndTheNextEvent) {
  Kernel k;
  Log log;
  Prefetched p;
  p.log = &log;
  g_prefetched = &p;
  const int own = 0;  // the prefetch's context: any pointer but the handler's
  const HandlerId with = k.add_handler("with", record, &log, Prefetch{note_prefetch, &own});
  const HandlerId without = k.add_handler("without", record, &log);
  k.schedule_at(10, with, 0, 1);
  k.schedule_at(20, without, 0, 2);
  k.schedule_at(30, with, 0, 3);
  k.run();
  g_prefetched = nullptr;
  ASSERT_EQ(log.seen.size(), 3u);
  // Popping event 1 looks ahead to event 2 (no prefetch); popping 2 looks ahead to 3.
  ASSERT_EQ(p.calls.size(), 1u);
  EXPECT_EQ(p.calls[0].first, &own);
  EXPECT_EQ(p.calls[0].second, 3u);
  EXPECT_EQ(p.handled_when_called, 1u) << "called before event 2 was handled";
}

TEST(Kernel, TiesRunInSchedulingOrder) {
  Kernel k;
  Log log;
  const HandlerId h = k.add_handler("record", record, &log);
  for (std::uint64_t i = 0; i < 1000; ++i) k.schedule_at(5, h, 0, i);
  k.run();
  ASSERT_EQ(log.seen.size(), 1000u);
  for (std::uint64_t i = 0; i < 1000; ++i) EXPECT_EQ(log.seen[i].second, i);
}

struct Chain {
  HandlerId self;
  int remaining;
  std::vector<SimTime> times;
};

void chain_step(void* ctx, Kernel& k, const Event&) {
  auto* c = static_cast<Chain*>(ctx);
  c->times.push_back(k.now());
  // Same-time reschedule must run after everything already queued for this instant.
  if (--c->remaining > 0) k.schedule_in(0, c->self);
}

TEST(Kernel, SameInstantRescheduleRunsAfterQueuedPeers) {
  Kernel k;
  Chain c{0, 3, {}};
  Log log;
  c.self = k.add_handler("chain", chain_step, &c);
  const HandlerId h = k.add_handler("record", record, &log);
  k.schedule_at(7, c.self);
  k.schedule_at(7, h, 0, 42);
  k.run();
  EXPECT_EQ(c.times, (std::vector<SimTime>{7, 7, 7}));
  ASSERT_EQ(log.seen.size(), 1u);
  EXPECT_EQ(k.events_processed(), 4u);
}

TEST(Kernel, CancelledEventsDoNotRun) {
  Kernel k;
  Log log;
  const HandlerId h = k.add_handler("record", record, &log);
  k.schedule_at(1, h, 0, 1);
  const EventId two = k.schedule_at(2, h, 0, 2);
  k.schedule_at(3, h, 0, 3);
  EXPECT_EQ(k.pending(), 3u);
  EXPECT_TRUE(k.cancel(two));
  EXPECT_FALSE(k.cancel(two)) << "double cancel must be refused";
  EXPECT_EQ(k.pending(), 2u);
  k.run();
  ASSERT_EQ(log.seen.size(), 2u);
  EXPECT_EQ(log.seen[1].second, 3u);
  EXPECT_FALSE(k.cancel(0)) << "an event that already ran cannot be cancelled";
  EXPECT_FALSE(k.cancel(999)) << "unknown id";
  EXPECT_EQ(k.pending(), 0u);
}

// The kernel keeps no record of what ran until cancel() is first called; that call
// rebuilds it from the queue. Cancel first when events have run and others wait in every
// part of the queue (the current block, the near heap and buckets at several levels):
// exactly the ids still queued may be cancelled, and a cancelled one never runs.
struct CancelProbe {
  Kernel* k = nullptr;
  HandlerId h = 0;
  std::vector<EventId> ids;  // every event scheduled, by id
  std::vector<bool> ran;
  std::size_t first_cancel_after = 0;
  std::size_t handled = 0;
  std::vector<EventId> cancelled;
};

void probe(void* ctx, Kernel& k, const Event& e) {
  auto& p = *static_cast<CancelProbe*>(ctx);
  EXPECT_FALSE(p.ran[e.seq]) << "event " << e.seq << " ran twice";
  p.ran[e.seq] = true;
  EXPECT_FALSE(k.cancel(e.seq)) << "the event being handled has run";
  // Schedule into the current block (near heap), and far ahead (buckets).
  if (e.arg < 2) {
    for (const SimTime delay :
         {SimTime{1}, SimTime{300}, SimTime{70'000}, SimTime{5'000'000'000}}) {
      p.ids.push_back(k.schedule_in(delay, p.h, 0, e.arg + 1));
      p.ran.push_back(false);
    }
  }
  if (++p.handled == p.first_cancel_after) {
    for (EventId id = 0; id < p.ids.size(); id += 3) {
      const bool queued = !p.ran[id];
      EXPECT_EQ(k.cancel(id), queued) << "id " << id;
      if (queued) p.cancelled.push_back(id);
    }
  }
}

TEST(Kernel, FirstCancelMidRunKnowsWhatRan) {
  for (std::size_t after : {1u, 5u, 17u, 40u}) {
    Kernel k;
    CancelProbe p;
    p.k = &k;
    p.h = k.add_handler("probe", probe, &p);
    p.first_cancel_after = after;
    for (SimTime t : {SimTime{0}, SimTime{0}, SimTime{100}, SimTime{1'000'000}, SimTime{1} << 40}) {
      p.ids.push_back(k.schedule_at(t, p.h));
      p.ran.push_back(false);
    }
    k.run();
    ASSERT_FALSE(p.cancelled.empty()) << "after " << after;
    for (EventId id : p.cancelled) EXPECT_FALSE(p.ran[id]) << "cancelled " << id << " ran";
    std::size_t ran = 0;
    for (bool r : p.ran) ran += r ? 1 : 0;
    EXPECT_EQ(ran + p.cancelled.size(), p.ids.size()) << "after " << after;
    EXPECT_EQ(k.pending(), 0u);
    EXPECT_FALSE(k.cancel(p.ids.back() + 1)) << "unknown id";
  }
}

void forever(void* ctx, Kernel& k, const Event&) {
  k.schedule_in(1, *static_cast<HandlerId*>(ctx));
}

TEST(Kernel, EventLimitEndsARunawayModel) {
  Kernel k;
  HandlerId self = 0;
  self = k.add_handler("forever", forever, &self);
  k.schedule_at(0, self);
  const RunResult r = k.run({.until = kTimeNever, .max_events = 500});
  EXPECT_EQ(r.reason, StopReason::kEventLimit);
  EXPECT_EQ(r.events_processed, 500u);
  EXPECT_EQ(r.now, 499);
}

TEST(Kernel, TimeLimitLeavesLaterEventsPending) {
  Kernel k;
  Log log;
  const HandlerId h = k.add_handler("record", record, &log);
  k.schedule_at(10, h);
  k.schedule_at(20, h);
  k.schedule_at(21, h);
  const RunResult r = k.run({.until = 20});
  EXPECT_EQ(r.reason, StopReason::kTimeLimit);
  EXPECT_EQ(log.seen.size(), 2u) << "events at exactly `until` run";
  EXPECT_EQ(k.pending(), 1u);
}

TEST(Kernel, TwoSimulationsRunConcurrentlyWithoutSharingState) {
  auto simulate = [](std::uint64_t n, std::vector<std::uint64_t>* out) {
    Kernel k;
    Log log;
    const HandlerId h = k.add_handler("record", record, &log);
    for (std::uint64_t i = 0; i < n; ++i)
      k.schedule_at(static_cast<SimTime>((i * 7919) % 1000), h, 0, i);
    k.run();
    for (const auto& [t, arg] : log.seen) out->push_back(arg);
  };
  std::vector<std::uint64_t> a, b, reference;
  simulate(20000, &reference);
  std::thread ta(simulate, 20000, &a);
  std::thread tb(simulate, 20000, &b);
  ta.join();
  tb.join();
  EXPECT_EQ(a, reference);
  EXPECT_EQ(b, reference);
}

TEST(Time, FormatsInstantsAndDurations) {
  EXPECT_EQ(format_time(12 * kDay + 22 * kHour), "12d 22:00:00");
  EXPECT_EQ(format_time(90 * kSecond + 5), "0d 00:01:30.000005");
  EXPECT_EQ(format_duration(48 * kHour), "2d");
  EXPECT_EQ(format_duration(kDay + 6 * kHour), "1d 6h");
  EXPECT_EQ(format_duration(500 * kMillisecond), "500ms");
  EXPECT_EQ(format_duration(0), "0s");
}

}  // namespace
}  // namespace faultline

namespace faultline {
namespace {

struct CoSim {
  HandlerId record;
  std::vector<SimTime> asked;
  bool injected = false;
};

void advance(void* ctx, Kernel& k, SimTime next) {
  auto* c = static_cast<CoSim*>(ctx);
  c->asked.push_back(next);
  // Like a network engine finding a transfer that completes before the next event.
  if (!c->injected && next >= 100) {
    c->injected = true;
    k.schedule_at(60, c->record, 0, 60);
  }
}

TEST(Kernel, AdvanceHookLetsAnotherEngineInjectEarlierEvents) {
  Kernel k;
  Log log;
  CoSim co{k.add_handler("record", record, &log), {}, false};
  k.set_advance_hook(advance, &co);
  k.schedule_at(10, co.record, 0, 10);
  k.schedule_at(100, co.record, 0, 100);
  k.run({.until = 200});
  ASSERT_EQ(log.seen.size(), 3u);
  EXPECT_EQ(log.seen[1].second, 60u) << "the injected event runs before the later one";
  EXPECT_EQ(log.seen[2].second, 100u);
  // Asked for 10, then 100 (which injected 60), then 60 is not re-asked as it is earlier
  // than what the engine already reached, then 100 again is not re-asked, then the bound.
  EXPECT_EQ(co.asked, (std::vector<SimTime>{10, 100, 200}));
}

}  // namespace
}  // namespace faultline

namespace faultline {
namespace {

// round_to_time replaces std::llround on the model's hot path: it must agree everywhere
// the model can call it — halves and their neighbours, negatives, the 2^52 and 2^53
// edges, and a million random doubles of every magnitude up to 2^62.
TEST(Time, RoundToTimeIsLlround) {
  std::vector<double> xs = {0.0,
                            -0.0,
                            0.5,
                            -0.5,
                            1.5,
                            -1.5,
                            2.5,
                            -2.5,
                            0.49999999999999994,
                            -0.49999999999999994,
                            4503599627370495.5,
                            -4503599627370495.5,
                            4503599627370497.0,
                            9007199254740993.0,
                            1e18,
                            -1e18,
                            4.6e18};
  for (double x = 0.25; x < 1e6; x += 0.25) xs.push_back(x);
  std::mt19937_64 rng(21);
  for (int i = 0; i < 1'000'000; ++i) {
    std::uint64_t bits = rng();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x) || std::fabs(x) >= 4.6e18) continue;
    xs.push_back(x);
    xs.push_back(std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng), i % 62));
  }
  for (const double x : xs) {
    ASSERT_EQ(round_to_time(x), std::llround(x)) << std::hexfloat << x;
    ASSERT_EQ(round_to_time(std::nextafter(x, 1e300)), std::llround(std::nextafter(x, 1e300)));
  }
}

}  // namespace
}  // namespace faultline
