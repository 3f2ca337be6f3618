// The native discrete-event kernel: a queue of compact event records ordered by
// (time, sequence) (sim/kernel/event_queue.h: a sorted run and a small heap for the
// current 256 µs over radix buckets for everything later). The 64-bit sequence number is
// assigned at scheduling, so events at the same instant run in the order they were
// scheduled, on every platform and every run (after ns-3's EventKey). Events carry no
// closures: a handler is a plain function pointer plus a context registered once, and an
// event is 32 bytes of data, so the hot path never allocates. Cancellation is lazy: a
// cancelled event stays in the queue and is skipped.
//
// There is no global state: every simulation owns its Kernel, so any number of
// simulations can run in one process, on any threads.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/event_queue.h"
#include "sim/kernel/time.h"

namespace faultline {

class Kernel;

using EventId = std::uint64_t;  // the event's sequence number
using HandlerId = std::uint32_t;
using HandlerFn = void (*)(void* context, Kernel& kernel, const Event& event);
// Co-simulation hook: called before the kernel advances its clock to `next` (the next
// event's time, or the run bound when the queue is empty), so another engine (SimGrid)
// can advance to `next` and schedule what completed on the way. Called once per distinct
// `next`; if it schedules events, the kernel re-reads its queue before going on.
using AdvanceFn = void (*)(void* context, Kernel& kernel, SimTime next);
// Optional, per handler: called with the next event to run while the current one is still
// to be handled, so the model can start fetching what that event will touch (borrower
// records indexed in random order are cache misses). Must not change any state. It gets
// its own context, registered with it, never the handler's: a plug-in's handler (context:
// the plug-in) can share the World's prefetch without the prefetch reading the plug-in as
// a World — the wild read the asan preset once caught when the two were one pointer.
using PrefetchFn = void (*)(const void* context, const Event& next);
struct Prefetch {
  PrefetchFn fn = nullptr;
  const void* context = nullptr;
};

// Why a run ended.
enum class StopReason {
  kQueueEmpty,  // nothing left to do
  kTimeLimit,   // next event lies beyond the time bound
  kEventLimit,  // max_events processed; the run is cut short
  kStopped,     // a handler called stop()
};

struct RunBounds {
  SimTime until = kTimeNever;             // events at t > until are left unprocessed
  std::uint64_t max_events = UINT64_MAX;  // guard against runaway scenarios
};

struct RunResult {
  StopReason reason;
  std::uint64_t events_processed;
  SimTime now;
};

const char* to_string(StopReason reason);

class Kernel {
 public:
  Kernel() = default;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Handlers are registered once at set-up; the returned id is what events carry.
  HandlerId add_handler(std::string_view name, HandlerFn fn, void* context, Prefetch prefetch = {});

  // Schedules at absolute time `at` (>= now()). Returns an id usable with cancel().
  // Inline: most pushes take a front slot (event_queue.h), and a call's register saves
  // cost as much as that (issue 21: 16 instructions of ~70 per schedule).
  EventId schedule_at(SimTime at, HandlerId handler, std::uint32_t target = 0,
                      std::uint64_t arg = 0) {
    // Scheduling into the past would silently reorder causality; it is always a model bug.
    assert(at >= now_ && "event scheduled in the past");
    assert(handler < handlers_.size() && "unknown handler");
    const EventId id = next_seq_++;
    if (tracking_ && (id & 63) == 0) grow_tracking();
    queue_.push(Event{at, id, handler, target, arg});
    return id;
  }
  EventId schedule_in(SimTime delay, HandlerId handler, std::uint32_t target = 0,
                      std::uint64_t arg = 0) {
    return schedule_at(now_ + delay, handler, target, arg);
  }

  // Cancels a pending event; returns false when it already ran, was cancelled, or never
  // existed. O(1): the record stays in the queue until it reaches the top.
  bool cancel(EventId id);

  RunResult run(const RunBounds& bounds = {});
  void stop() { stop_requested_ = true; }
  void set_advance_hook(AdvanceFn fn, void* context) {
    advance_ = fn;
    advance_context_ = context;
  }

  SimTime now() const { return now_; }
  std::size_t pending() const { return queue_.size() - cancelled_pending_; }
  std::uint64_t events_processed() const { return processed_; }
  std::string_view handler_name(HandlerId id) const { return handlers_.at(id).name; }
  // Pre-sizes the queue so a run that knows its peak queue never allocates mid-run.
  void reserve(std::size_t events) { queue_.reserve(events); }

 private:
  struct Handler {
    std::string name;
    HandlerFn fn;
    void* context;
    Prefetch prefetch;
  };
  static bool bit(const std::vector<std::uint64_t>& words, std::uint64_t id) {
    return (words[id >> 6] >> (id & 63)) & 1;
  }
  static void set_bit(std::vector<std::uint64_t>& words, std::uint64_t id) {
    words[id >> 6] |= std::uint64_t{1} << (id & 63);
  }
  void start_tracking();  // cancel(): the record of what ran, built on first use
  void grow_tracking();   // a word more of each, for the next 64 ids
  // Not const: the queue may split a bucket to find its top.
  const Event& top() { return queue_.top(); }
  bool empty() const { return queue_.empty(); }

  EventQueue queue_;
  std::vector<Handler> handlers_;
  // Two bits per event ever scheduled, in 64-bit words: `finished_` once it ran or was
  // discarded (so cancel() can refuse it in O(1)), `cancelled_` while it waits in the queue
  // to be skipped. Bits, not a hash set: cancel costs a few ns and no allocation
  // (tests/bench/kernel_bench.cc). Kept only once cancel() has been called (`tracking_`):
  // the first call rebuilds `finished_` from the queue (whatever was scheduled and is no
  // longer queued has run), so a run that never cancels — every model run today — pays
  // neither the bit per event nor its memory (1e8 events: 25 MB).
  std::vector<std::uint64_t> finished_;
  std::vector<std::uint64_t> cancelled_;
  bool tracking_ = false;
  std::size_t cancelled_pending_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
  SimTime now_ = 0;
  bool stop_requested_ = false;
  AdvanceFn advance_ = nullptr;
  void* advance_context_ = nullptr;
  SimTime advanced_to_ = -1;  // the last `next` given to the advance hook
};

}  // namespace faultline
