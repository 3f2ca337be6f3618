// The reference workload of issue 7 ("reminder fan-out"), written by hand as a plain C++
// loop over a binary heap of plain structs. It is the baseline a faultline scenario of
// the same workload is measured against, so it deliberately does NOT use faultline's
// Kernel: it is the fastest obvious program, and the ratio to it is the kernel's overhead.
//
// Workload: N borrowers; each gets one reminder at a uniform random time in [0, 3 days);
// reminders pass one SMS vendor, a FIFO server with capacity 500 messages/s (a fixed
// service time of 2000 µs); after delivery a borrower pays with probability 0.9 after an
// exponential delay with mean 6 h, else never. Three kinds of events: reminder arrival,
// vendor send-complete, payment; so events = 2 N + paid.
//
// Reproducibility contract: every draw comes from faultline's KeyedRandom, keyed by the
// borrower index, with the stream names and conversions below. A faultline scenario that
// uses the same names and the same double→SimTime conversion (truncation toward zero)
// sees identical reminder times, identical pay decisions and identical payment delays,
// whatever order it processes events in. Only the FIFO order among reminders arriving at
// the very same microsecond depends on tie-breaking; here ties run in borrower order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/random/stream.h"

namespace faultline::bench {

inline constexpr std::string_view kReminderStream = "reference/reminder";
inline constexpr std::string_view kBehaviourStream = "reference/behaviour";

struct ReferenceConfig {
  std::uint64_t borrowers = 1'000'000;
  std::uint64_t seed = 20260401;
  SimTime reminder_window_us = 3 * kDay;
  SimTime service_time_us = kSecond / 500;  // one vendor, capacity 500 messages/s
  double pay_probability = 0.9;
  SimTime pay_delay_mean_us = 6 * kHour;
};

struct ReferenceResult {
  std::uint64_t events = 0;  // reminder arrivals + send completions + payments
  std::uint64_t reminders = 0;
  std::uint64_t delivered = 0;
  std::uint64_t paid = 0;
  std::uint64_t peak_pending = 0;         // largest heap size: what the memory scales with
  std::uint64_t peak_vendor_backlog = 0;  // reminders waiting behind the one in service
  SimTime end_us = 0;                     // time of the last event
};

// The draws, as pure functions of (seed, borrower): shared with the unit test and with
// whatever scenario must reproduce them.
inline SimTime reminder_time_us(const ReferenceConfig& c, const KeyedRandom& reminder,
                                std::uint64_t borrower) {
  return static_cast<SimTime>(reminder.uniform01(borrower) *
                              static_cast<double>(c.reminder_window_us));
}
inline bool pays(const ReferenceConfig& c, const KeyedRandom& behaviour, std::uint64_t borrower) {
  return behaviour.bernoulli(c.pay_probability, borrower, 0);
}
inline SimTime pay_delay_us(const ReferenceConfig& c, const KeyedRandom& behaviour,
                            std::uint64_t borrower) {
  return static_cast<SimTime>(
      behaviour.exponential(static_cast<double>(c.pay_delay_mean_us), borrower, 1));
}

// Hooks for tests; the benchmark passes NullObserver, whose empty inline bodies vanish.
struct NullObserver {
  void on_delivered(std::uint32_t /*borrower*/, SimTime /*at_us*/) {}
  void on_paid(std::uint32_t /*borrower*/, SimTime /*at_us*/) {}
};

namespace detail {
enum : std::uint32_t { kReminderArrival, kSendComplete, kPayment };

// 16 bytes, so the baseline is the fast obvious program and not a straw man: seq (32
// bits: 4e9 events) breaks time ties in scheduling order, as faultline's kernel does;
// kind and borrower share a word (30 bits: 1e9 borrowers).
struct RefEvent {
  SimTime time_us;
  std::uint32_t seq;
  std::uint32_t kind : 2;
  std::uint32_t borrower : 30;
};
static_assert(sizeof(RefEvent) == 16);
inline constexpr std::uint64_t kMaxBorrowers = (1u << 30) - 1;
struct Later {
  bool operator()(const RefEvent& a, const RefEvent& b) const {
    return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
  }
};
// The vendor: one message in service, the rest wait in arrival order.
struct Vendor {
  bool busy = false;
  std::deque<std::uint32_t> backlog;
};

// One event of the workload, whichever loop popped it; `push(at_us, kind, borrower)`
// schedules. Shared by both loops so they cannot drift apart.
template <class Observer, class Push>
void step(const ReferenceConfig& c, const KeyedRandom& behaviour, const RefEvent& e, Vendor& vendor,
          ReferenceResult& result, Observer& observer, Push& push) {
  ++result.events;
  const SimTime now_us = e.time_us;
  switch (e.kind) {
    case kReminderArrival:
      ++result.reminders;
      if (!vendor.busy) {
        vendor.busy = true;
        push(now_us + c.service_time_us, kSendComplete, e.borrower);
      } else {
        vendor.backlog.push_back(e.borrower);
        result.peak_vendor_backlog =
            std::max<std::uint64_t>(result.peak_vendor_backlog, vendor.backlog.size());
      }
      break;
    case kSendComplete:
      ++result.delivered;
      observer.on_delivered(e.borrower, now_us);
      if (pays(c, behaviour, e.borrower)) {
        push(now_us + pay_delay_us(c, behaviour, e.borrower), kPayment, e.borrower);
      }
      if (!vendor.backlog.empty()) {
        push(now_us + c.service_time_us, kSendComplete, vendor.backlog.front());
        vendor.backlog.pop_front();
      } else {
        vendor.busy = false;
      }
      break;
    case kPayment:
      ++result.paid;
      observer.on_paid(e.borrower, now_us);
      break;
  }
  result.end_us = now_us;
}
}  // namespace detail

template <class Observer = NullObserver>
ReferenceResult run_reference_workload(const ReferenceConfig& c, Observer&& observer = {}) {
  using detail::RefEvent;
  // Each borrower schedules at most 3 events, so seq fits 32 bits when borrowers do 30.
  if (c.borrowers > detail::kMaxBorrowers) {
    throw std::invalid_argument("reference workload: at most 2^30 - 1 borrowers");
  }
  const KeyedRandom reminder(c.seed, kReminderStream);
  const KeyedRandom behaviour(c.seed, kBehaviourStream);
  ReferenceResult result;

  // All reminders are known up front: build the heap in one O(N) make_heap instead of N
  // pushes (the "batched reminder generation" issue 7 asks the real model for, too).
  std::vector<RefEvent> heap;
  heap.reserve(c.borrowers + 16);
  std::uint32_t seq = 0;
  for (std::uint64_t i = 0; i < c.borrowers; ++i) {
    heap.push_back(RefEvent{reminder_time_us(c, reminder, i), seq++, detail::kReminderArrival,
                            static_cast<std::uint32_t>(i)});
  }
  std::make_heap(heap.begin(), heap.end(), detail::Later{});
  const auto push = [&](SimTime at_us, std::uint32_t kind, std::uint32_t borrower) {
    heap.push_back(RefEvent{at_us, seq++, kind, borrower});
    std::push_heap(heap.begin(), heap.end(), detail::Later{});
  };

  detail::Vendor vendor;
  result.peak_pending = heap.size();

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), detail::Later{});
    const RefEvent e = heap.back();
    heap.pop_back();
    detail::step(c, behaviour, e, vendor, result, observer, push);
    result.peak_pending = std::max<std::uint64_t>(result.peak_pending, heap.size());
  }
  return result;
}

// The same workload with the reminders *streamed* in time order instead of preloaded: the
// heap holds only what the run itself schedules (send completions and payments, ~75,000
// pending at 1e6), so it is the practical limit a faultline run is measured against.
// Same draws, same tie order (at one instant reminders first, in borrower order; then
// the dynamic events in scheduling order), hence the same observer calls in the same
// order as run_reference_workload — reference_workload_test checks it.
//
// Time order without sorting all N reminders: a counting sort of the borrowers by
// reminder time into ~N/8 equal buckets (4 bytes per borrower: the borrower index; each
// reminder time is a pure keyed draw, so it is recomputed rather than stored), then each
// bucket, when the stream reaches it, is drawn again and sorted by (time, borrower) in a
// small reused buffer.
template <class Observer = NullObserver>
ReferenceResult run_reference_workload_streaming(const ReferenceConfig& c,
                                                 Observer&& observer = {}) {
  using detail::RefEvent;
  if (c.borrowers > detail::kMaxBorrowers) {
    throw std::invalid_argument("reference workload: at most 2^30 - 1 borrowers");
  }
  const KeyedRandom reminder(c.seed, kReminderStream);
  const KeyedRandom behaviour(c.seed, kBehaviourStream);
  ReferenceResult result;
  const auto n = static_cast<std::uint32_t>(c.borrowers);

  // Buckets of equal width over the window; a bucket is a function of the time alone,
  // so bucket order is time order and ties share a bucket.
  const std::uint32_t buckets = std::max<std::uint32_t>(1, n / 8);
  const SimTime width =
      std::max<SimTime>(1, (c.reminder_window_us + static_cast<SimTime>(buckets) - 1) /
                               static_cast<SimTime>(buckets));
  const auto bucket_of = [&](std::uint32_t i) {
    return static_cast<std::uint32_t>(reminder_time_us(c, reminder, i) / width);
  };
  std::vector<std::uint32_t> start(static_cast<std::size_t>(buckets) + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) ++start[bucket_of(i) + 1];
  for (std::uint32_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  std::vector<std::uint32_t> order(n);
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) order[fill[bucket_of(i)]++] = i;
  }
  struct Reminder {
    SimTime time_us;
    std::uint32_t borrower;
  };
  std::vector<Reminder> current;  // the bucket being streamed, sorted
  std::size_t next = 0;
  std::uint32_t bucket = 0;
  const auto refill = [&] {  // false when every reminder has been streamed
    while (next == current.size()) {
      if (bucket == buckets) return false;
      current.clear();
      next = 0;
      for (std::uint32_t j = start[bucket]; j < start[bucket + 1]; ++j)
        current.push_back({reminder_time_us(c, reminder, order[j]), order[j]});
      std::sort(current.begin(), current.end(), [](const Reminder& a, const Reminder& b) {
        return a.time_us != b.time_us ? a.time_us < b.time_us : a.borrower < b.borrower;
      });
      ++bucket;
    }
    return true;
  };

  std::vector<RefEvent> heap;  // send completions and payments only
  std::uint32_t seq = 0;
  const auto push = [&](SimTime at_us, std::uint32_t kind, std::uint32_t borrower) {
    heap.push_back(RefEvent{at_us, seq++, kind, borrower});
    std::push_heap(heap.begin(), heap.end(), detail::Later{});
  };
  detail::Vendor vendor;

  for (;;) {
    const bool more = refill();
    // At one instant a reminder goes first: in the preloading loop every reminder's
    // sequence number is below every scheduled event's.
    RefEvent e;
    if (more && (heap.empty() || current[next].time_us <= heap.front().time_us)) {
      e = RefEvent{current[next].time_us, 0, detail::kReminderArrival, current[next].borrower};
      ++next;
    } else if (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), detail::Later{});
      e = heap.back();
      heap.pop_back();
    } else {
      break;
    }
    detail::step(c, behaviour, e, vendor, result, observer, push);
    result.peak_pending = std::max<std::uint64_t>(result.peak_pending, heap.size());
  }
  return result;
}

}  // namespace faultline::bench
