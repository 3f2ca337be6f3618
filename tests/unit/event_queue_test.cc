// The event queue's one contract: it pops in exact (time, seq) order, whatever path an
// event took through the near heap, the sorted run and the radix buckets. Boundary cases
// first (block and digit edges, equal times reaching a bucket by different paths, events
// scheduled before the current top), then long randomized runs against a
// std::priority_queue, and the kernel's cancel across the same paths.
#include "sim/kernel/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <queue>
#include <random>
#include <utility>
#include <vector>

#include "sim/kernel/kernel.h"

namespace faultline {
namespace {

constexpr SimTime kBlock = SimTime{1} << EventQueue::kNearBits;

using Key = std::pair<SimTime, std::uint64_t>;  // (time, seq)

// Pushes with increasing sequence numbers and pops in order, recording what came out.
struct Harness {
  EventQueue queue;
  std::uint64_t next_seq = 0;
  SimTime now = 0;

  std::uint64_t push(SimTime t) {
    queue.push(Event{t, next_seq, 0, 0, 0});
    return next_seq++;
  }
  Key pop() {
    const Event e = queue.top();
    queue.pop();
    EXPECT_GE(e.time, now) << "time went backwards";
    now = e.time;
    return {e.time, e.seq};
  }
  std::vector<Key> drain() {
    std::vector<Key> out;
    while (!queue.empty()) out.push_back(pop());
    return out;
  }
};

TEST(EventQueue, EmptyAndSize) {
  Harness h;
  EXPECT_TRUE(h.queue.empty());
  h.push(5);
  h.push(5 * kDay);
  EXPECT_EQ(h.queue.size(), 2u);
  EXPECT_FALSE(h.queue.empty());
  h.drain();
  EXPECT_TRUE(h.queue.empty());
  EXPECT_EQ(h.queue.size(), 0u);
}

TEST(EventQueue, OrdersAcrossBlockAndDigitBoundaries) {
  // Every power of two and its neighbours, block edges and digit edges: the times where
  // an off-by-one in the near/far split or in a bucket's level would show.
  std::vector<SimTime> times = {0, 1, kBlock - 1, kBlock, kBlock + 1, 2 * kBlock - 1, 2 * kBlock};
  for (int bit = 1; bit < 62; ++bit) {
    const SimTime p = SimTime{1} << bit;
    times.insert(times.end(), {p - 1, p, p + 1});
  }
  for (int level = 0;; ++level) {
    const int shift = EventQueue::kNearBits + level * EventQueue::kDigitBits;
    if (shift + 9 >= 63) break;  // 257 << shift must fit
    for (SimTime digit : {1, 2, 255, 256, 257}) {
      const SimTime t = digit << shift;
      times.insert(times.end(), {t - 1, t, t + 1});
    }
  }
  times.push_back(kTimeNever);
  times.push_back(kTimeNever - 1);
  // Scheduled in a scrambled order, twice each (the second copy must come second).
  std::mt19937_64 rng(7);
  std::shuffle(times.begin(), times.end(), rng);
  Harness h;
  std::vector<Key> expected;
  for (int copy = 0; copy < 2; ++copy) {
    for (SimTime t : times) expected.emplace_back(t, h.push(t));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(h.drain(), expected);
}

TEST(EventQueue, EqualTimesKeepSequenceOrderWhenTheyArriveByDifferentPaths) {
  // A is scheduled for T while the queue is at 0, so it waits in a high bucket. Time then
  // moves to just below T and B is scheduled for T too: B goes straight to wherever A is
  // by then (the near heap beside A in the sorted run, or A's bucket after A's moves).
  // A must still run first, and C, scheduled last but earlier, before both.
  const SimTime far = 3 * kDay + 12345;
  for (SimTime gap : {SimTime{1}, kBlock / 2, kBlock, 5 * kBlock, kHour, 2 * kDay}) {
    Harness h;
    const std::uint64_t a = h.push(far);
    h.push(far - gap);
    EXPECT_EQ(h.pop().first, far - gap);  // the queue now starts near `far - gap`
    const std::uint64_t b = h.push(far);
    const std::uint64_t c = h.push(far - gap);  // at now: runs first
    const std::vector<Key> out = h.drain();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0], Key(far - gap, c)) << "gap " << gap;
    EXPECT_EQ(out[1], Key(far, a)) << "gap " << gap;
    EXPECT_EQ(out[2], Key(far, b)) << "gap " << gap;
  }
}

TEST(EventQueue, ManyEqualTimesFromManyMoments) {
  // Thousands of events at one instant, scheduled in waves between which the queue moves
  // on: they come out in sequence order.
  const SimTime target = 10 * kDay;
  Harness h;
  std::vector<Key> expected;
  SimTime t = 0;
  for (int wave = 0; wave < 40; ++wave) {
    for (int i = 0; i < 100; ++i) expected.emplace_back(target, h.push(target));
    t += kHour + wave * 7919;
    h.push(t);  // a stepping stone, popped at once
    ASSERT_EQ(h.pop().first, t);
  }
  EXPECT_EQ(h.drain(), expected);
}

TEST(EventQueue, SchedulesBeforeTheCurrentTop) {
  // top() may split a bucket and move the queue's reference to a far event before that
  // event runs (the kernel peeks for the time bound and the advance hook). Events
  // scheduled afterwards at any time from the last pop on must still come out in order.
  for (SimTime far : {kBlock, kBlock + 1, 3 * kBlock, kHour, 9 * kDay}) {
    Harness h;
    h.push(far);
    h.push(far + kDay);
    ASSERT_EQ(h.queue.top().time, far);  // peek only: `now` stays 0
    std::vector<Key> expected = {{far, 0}, {far + kDay, 1}};
    for (SimTime t : {SimTime{0}, SimTime{1}, far - 1, far, far + 1, far + kBlock, far + kDay}) {
      if (t < 0) continue;
      expected.emplace_back(t, h.push(t));
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(h.drain(), expected) << "far " << far;
  }
}

// A peek that splits a far bucket moves the queue's reference days ahead of the clock;
// far more events than the near heap's rebase threshold are then scheduled before it,
// between pops, across block and digit boundaries, and some in the far block itself.
// They must still come out in order (EventQueue::rebase), more than once in one run.
TEST(EventQueue, ManySchedulesBeforeAFarTopAreRebased) {
  std::mt19937_64 rng(7);
  Harness h;
  std::vector<Key> expected;
  for (int round = 0; round < 3; ++round) {
    const SimTime far = h.now + 3 * kDay + round * 12345;
    // The split spreads these over the levels below the far one: rebase must merge them.
    for (SimTime d :
         {SimTime{0}, SimTime{1}, kBlock + 3, 70 * kMillisecond, 20 * kSecond, kHour, kDay})
      expected.emplace_back(far + d, h.push(far + d));
    ASSERT_EQ(h.queue.top().time, std::min(far, expected.front().first));
    for (int i = 0; i < 1000; ++i) {
      const SimTime t = h.now + std::uniform_int_distribution<SimTime>(0, far - h.now)(rng);
      expected.emplace_back(t, h.push(t));
      if (i % 7 == 0) {
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(h.pop(), expected.front()) << "round " << round << " i " << i;
        expected.erase(expected.begin());
      }
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(h.drain(), expected);
}

// Events far apart (one per bucket at the lowest levels, as in the reference workload:
// one every ~100 ms) are split out of one-event buckets (EventQueue::refill's short
// path): each must become the block's reference time, so later pushes close to it — the
// next event 2 ms on, one in the same 256 µs block, one at the same instant — still come
// out in order.
TEST(EventQueue, SparseEventsSplitOneAtATime) {
  Harness h;
  std::vector<Key> expected;
  for (int i = 1; i <= 200; ++i) {
    const SimTime t = i * 97 * kMillisecond + (i % 5) * kBlock;
    expected.emplace_back(t, h.push(t));
  }
  std::vector<Key> got;
  std::size_t next = 0;
  while (!h.queue.empty()) {
    const Key k = h.pop();
    got.push_back(k);
    if (k.second < 200) {  // one of the sparse events: schedule around it
      for (const SimTime d : {SimTime{0}, SimTime{1}, kBlock - 1, 2 * kMillisecond}) {
        if (next++ % 2 == 0) expected.emplace_back(k.first + d, h.push(k.first + d));
      }
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
}

TEST(EventQueue, PushAtTheTimeJustPoppedRunsAfterEarlierPeers) {
  Harness h;
  const SimTime t = 2 * kDay;
  h.push(t);
  h.push(t);
  EXPECT_EQ(h.pop(), Key(t, 0));
  const std::uint64_t late = h.push(t);  // same instant, scheduled while it runs
  EXPECT_EQ(h.pop(), Key(t, 1));
  EXPECT_EQ(h.pop(), Key(t, late));
}

// The front slots hold the earliest pushes since they were last empty, outside the
// structure; a stored event of the same time and a lower sequence must still come first,
// and a push that displaces a slot sends its event into the structure.
TEST(EventQueue, FrontSlotsKeepTheOrderAgainstStoredEvents) {
  {
    Harness h;
    const std::uint64_t y = h.push(100);  // slot
    const std::uint64_t u = h.push(300);  // slot
    const std::uint64_t z = h.push(10);   // earlier: 300 goes into the structure
    const std::uint64_t q = h.push(5);    // earlier still: 100 goes into the structure
    EXPECT_EQ(h.pop(), Key(5, q));
    EXPECT_EQ(h.pop(), Key(10, z));
    const std::uint64_t x = h.push(100);  // a slot again, but after y in sequence
    EXPECT_EQ(h.queue.top().seq, y);
    const std::uint64_t w = h.push(100);  // same time, later: a slot, after x
    const std::uint64_t v = h.push(50);   // displaces w into the structure
    EXPECT_EQ(h.drain(), (std::vector<Key>{{50, v}, {100, y}, {100, x}, {100, w}, {300, u}}));
  }
  {
    Harness h;  // slots full, a push later than both goes to the structure
    const std::uint64_t a = h.push(100);
    const std::uint64_t b = h.push(200);
    const std::uint64_t c = h.push(150);  // between: displaces 200
    const std::uint64_t d = h.push(150);  // equal to a slot's time, later sequence
    EXPECT_EQ(h.drain(), (std::vector<Key>{{100, a}, {150, c}, {150, d}, {200, b}}));
  }
}

TEST(EventQueue, ReserveThenUse) {
  Harness h;
  h.queue.reserve(10'000);
  std::vector<Key> expected;
  for (int i = 0; i < 10'000; ++i) {
    const SimTime t = (static_cast<SimTime>(i) * 104729) % (30 * kDay);
    expected.emplace_back(t, h.push(t));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(h.drain(), expected);
}

// Delay distributions that exercise different parts of the structure.
enum class Delays { kDense, kSpread, kHuge, kTies, kMixed };

SimTime draw_delay(Delays kind, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, 99);
  switch (kind) {
    case Delays::kDense:  // mostly inside one block
      return std::uniform_int_distribution<SimTime>(0, 3 * kBlock)(rng);
    case Delays::kSpread:  // exponential, mean 6 h: far events that move down levels
      return static_cast<SimTime>(std::exponential_distribution<double>(1.0 / (6.0 * kHour))(rng));
    case Delays::kHuge:  // anything up to ~2^50 µs (35 years)
      return std::uniform_int_distribution<SimTime>(0, SimTime{1} << 50)(rng) >>
             std::uniform_int_distribution<int>(0, 50)(rng);
    case Delays::kTies:  // a few instants, many events at each
      return std::uniform_int_distribution<SimTime>(0, 3)(rng) * kHour;
    case Delays::kMixed:
      break;
  }
  const int p = pick(rng);
  if (p < 30) return 0;
  if (p < 60) return draw_delay(Delays::kDense, rng);
  if (p < 90) return draw_delay(Delays::kSpread, rng);
  return draw_delay(Delays::kHuge, rng);
}

void compare_with_reference(Delays kind, std::uint64_t seed, int steps) {
  std::mt19937_64 rng(seed);
  Harness h;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> reference;
  std::uniform_int_distribution<int> burst(0, 3);
  for (int step = 0; step < steps; ++step) {
    // 0..3 pushes per pop (and now and then a burst), so the queue grows and shrinks.
    int pushes = burst(rng);
    if (step % 997 == 0) pushes += 500;
    for (int i = 0; i < pushes; ++i) {
      const SimTime t = h.now + draw_delay(kind, rng);
      reference.emplace(t, h.push(t));
    }
    // Peek sometimes before scheduling more, as the kernel does at run bounds.
    if (!reference.empty() && step % 5 == 0) {
      ASSERT_EQ(h.queue.top().time, reference.top().first);
      const SimTime t = h.now + (step % 3 == 0 ? 0 : draw_delay(Delays::kDense, rng));
      reference.emplace(t, h.push(t));
    }
    ASSERT_EQ(h.queue.size(), reference.size());
    ASSERT_LT(h.now, SimTime{1} << 61) << "the test's own times must not overflow";
    if (reference.empty()) continue;
    const Key got = h.pop();
    ASSERT_EQ(got, reference.top()) << "step " << step << " seed " << seed;
    reference.pop();
  }
  while (!reference.empty()) {
    ASSERT_EQ(h.pop(), reference.top()) << "seed " << seed;
    reference.pop();
  }
  EXPECT_TRUE(h.queue.empty());
}

TEST(EventQueue, MatchesPriorityQueueDense) {
  compare_with_reference(Delays::kDense, 1, 200'000);
}
TEST(EventQueue, MatchesPriorityQueueSpread) {
  compare_with_reference(Delays::kSpread, 2, 200'000);
}
TEST(EventQueue, MatchesPriorityQueueHuge) {
  compare_with_reference(Delays::kHuge, 3, 200'000);
}
TEST(EventQueue, MatchesPriorityQueueTies) {
  compare_with_reference(Delays::kTies, 4, 200'000);
}
TEST(EventQueue, MatchesPriorityQueueMixed) {
  for (std::uint64_t seed = 10; seed < 15; ++seed)
    compare_with_reference(Delays::kMixed, seed, 100'000);
}

// The kernel over the queue: cancel reaches events wherever they wait.

struct Recorder {
  std::vector<std::pair<SimTime, std::uint64_t>> seen;  // (time, arg)
};

void record(void* ctx, Kernel& k, const Event& e) {
  static_cast<Recorder*>(ctx)->seen.emplace_back(k.now(), e.arg);
}

TEST(KernelQueue, CancelOfFarEvents) {
  Kernel k;
  Recorder log;
  const HandlerId h = k.add_handler("record", record, &log);
  // Far events (days ahead, so they wait in high buckets), near ones, and ties.
  const EventId far = k.schedule_at(9 * kDay, h, 0, 1);
  const EventId far_tie = k.schedule_at(9 * kDay, h, 0, 2);
  k.schedule_at(9 * kDay, h, 0, 3);
  k.schedule_at(kHour, h, 0, 4);
  const EventId later = k.schedule_at(20 * kDay, h, 0, 5);
  EXPECT_TRUE(k.cancel(far));
  EXPECT_EQ(k.pending(), 4u);
  // Run past the first event: the far buckets are split on the way, the cancelled record
  // moves with its bucket and is skipped when it surfaces.
  EXPECT_EQ(k.run({.until = 2 * kDay}).reason, StopReason::kTimeLimit);
  EXPECT_TRUE(k.cancel(far_tie)) << "a tie of a cancelled event stays cancellable";
  EXPECT_FALSE(k.cancel(far)) << "double cancel";
  EXPECT_EQ(k.pending(), 2u);
  k.run();
  ASSERT_EQ(log.seen.size(), 3u);
  EXPECT_EQ(log.seen[0], std::make_pair(kHour, std::uint64_t{4}));
  EXPECT_EQ(log.seen[1], std::make_pair(9 * kDay, std::uint64_t{3}));
  EXPECT_EQ(log.seen[2], std::make_pair(20 * kDay, std::uint64_t{5}));
  EXPECT_FALSE(k.cancel(later)) << "already ran";
  EXPECT_EQ(k.pending(), 0u);
}

// A model that schedules and cancels at random, run on the kernel and on a reference
// loop over std::priority_queue with the same decisions: the event logs must match.
struct RandomModel {
  explicit RandomModel(std::uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;
  std::vector<EventId> ids;                            // every id scheduled, in order
  std::vector<std::pair<SimTime, std::uint64_t>> log;  // (time, seq) of events run
  SimTime delay() { return draw_delay(Delays::kMixed, rng) % (40 * kDay); }
  std::size_t victim() {
    return std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(rng);
  }
};

struct KernelSide {
  RandomModel model;
  HandlerId self = 0;
};

void kernel_step(void* ctx, Kernel& k, const Event& e) {
  auto& s = *static_cast<KernelSide*>(ctx);
  s.model.log.emplace_back(k.now(), e.seq);
  const int children = static_cast<int>(s.model.rng() % 3);
  for (int i = 0; i < children; ++i) s.model.ids.push_back(k.schedule_in(s.model.delay(), s.self));
  if (s.model.rng() % 4 == 0) k.cancel(s.model.ids[s.model.victim()]);
}

TEST(KernelQueue, RandomScheduleAndCancelMatchesReference) {
  constexpr int kSeedEvents = 2'000;
  constexpr std::uint64_t kMaxEvents = 300'000;
  KernelSide side{RandomModel(99)};
  Kernel k;
  side.self = k.add_handler("step", kernel_step, &side);
  for (int i = 0; i < kSeedEvents; ++i)
    side.model.ids.push_back(k.schedule_at(side.model.delay(), side.self));
  k.run({.until = kTimeNever, .max_events = kMaxEvents});

  // The reference: same draws in the same order, a plain priority queue, a cancelled set.
  RandomModel ref(99);
  std::priority_queue<Key, std::vector<Key>, std::greater<>> queue;
  std::vector<char> cancelled, done;
  std::uint64_t seq = 0;
  auto schedule = [&](SimTime t) {
    queue.emplace(t, seq);
    ref.ids.push_back(seq++);
    cancelled.push_back(0);
    done.push_back(0);
  };
  for (int i = 0; i < kSeedEvents; ++i) schedule(ref.delay());
  std::uint64_t processed = 0;
  while (!queue.empty() && processed < kMaxEvents) {
    const auto [now, id] = queue.top();
    queue.pop();
    if (cancelled[id]) continue;
    done[id] = 1;
    ++processed;
    ref.log.emplace_back(now, id);
    const int children = static_cast<int>(ref.rng() % 3);
    for (int i = 0; i < children; ++i) schedule(now + ref.delay());
    if (ref.rng() % 4 == 0) {
      const std::uint64_t v = ref.ids[ref.victim()];
      if (!done[v] && !cancelled[v]) cancelled[v] = 1;
    }
  }
  ASSERT_GT(ref.log.size(), 10'000u);
  EXPECT_EQ(side.model.log, ref.log);
}

}  // namespace
}  // namespace faultline
