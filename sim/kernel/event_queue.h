// The kernel's queue of pending events: a min-priority queue on (time, sequence) built for
// millions of events scheduled far ahead (payments days away, grace-period cures), where
// a single heap spends most of the run in cache misses (docs/performance.md).
//
// Two levels. Events of the current *block* (2^kNearBits µs, aligned) are near: those
// that were waiting when the block began are sorted once into `run`, and those scheduled
// into the block later go to a small 4-ary heap; the top is the earlier of the two fronts.
// Every later event waits in a radix bucket (a radix heap, Ahuja et al. 1990, with 8-bit
// digits like a hierarchical timing wheel): the time is cut into 8-bit digits above the
// block bits, and an event goes to bucket (level, digit) where `level` is the highest
// digit in which its time differs from `last` — the earliest time of the current block —
// and `digit` is its own value there. Appending is O(1) and sequential. When the near
// events run out, the lowest non-empty bucket is split: its earliest time becomes `last`,
// its events of the new block go to `run` and the rest to lower levels. Simulated time
// only moves forward, so an event moves at most once per level below its first one: an
// event 6 h (2^34 µs) ahead at most four times; in the mortgage scenario the average is 2.
//
// In front of both levels are two slots, `front_`, kept sorted: a push earlier than the
// later slot's event takes a slot (the evicted one is stored as above), a push into a
// free slot fills it, and only the earlier slot competes with the stored top. A handler
// that schedules the very next events (an SMS handed to the carrier 2 ms later, the
// batch's next send) then costs no push, split or pop in the structure. Reference
// workload at 1e5 borrowers: one slot took 2.3 % of the instructions, a second 3.2 % more;
// with three or four slots the compares cost more than they saved (docs/performance.md,
// issue 21).
//
// Sorting `run` rather than heapifying it matters for batches: 200,000 fallback checks
// due at one instant are one sequential pass (they arrive in order), not 200,000 pops
// from a heap larger than the cache.
//
// The order is the exact total order (time, seq): every near event is earlier than every
// event in a bucket, and the near events are compared on (time, seq); so the pop sequence
// is the same as any correct priority queue's, and results do not depend on this
// structure (tests/unit/event_queue_test.cc checks it against std::priority_queue).
//
// Buckets are singly linked chunks of events from a pool that is reused, so memory is the
// peak number of pending events plus one partly filled chunk per non-empty bucket, and
// nothing is allocated per event (the pool grows a chunk at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/kernel/time.h"

namespace faultline {

// One scheduled occurrence. `target` and `arg` are the handler's to interpret (usually a
// borrower index and a small tag); they are plain data so events stay trivially copyable.
struct Event {
  SimTime time;
  std::uint64_t seq;
  std::uint32_t handler;
  std::uint32_t target;
  std::uint64_t arg;
};
static_assert(sizeof(Event) == 32, "events stay compact: the queue holds millions of them");

class EventQueue {
 public:
  // The near block is 2^8 = 256 µs, so the sorted run stays small even when a million
  // events fall in one simulated second; a far event pays one move more than with 16
  // bits, which costs the mortgage scenario 3 % more instructions and no more cache
  // misses (docs/performance.md, "Kernel queue").
  static constexpr int kNearBits = 8;
  static constexpr int kDigitBits = 8;

  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Times must not go below the time of the last event popped (simulated time is
  // monotone); any time at or after it is fine, including before the current top().
  void push(const Event& e) {
    ++size_;
    if (fronts_ == kFronts) {
      if (!earlier(e, front_[kFronts - 1])) return store(e);
      store(front_[--fronts_]);  // the later slot makes room
    }
    std::size_t i = fronts_++;
    for (; i > 0 && earlier(e, front_[i - 1]); --i) front_[i] = front_[i - 1];
    front_[i] = e;
  }
  // The earliest event; the queue must not be empty. Not const: it may split a bucket.
  const Event& top() {
    if (size_ == fronts_) return front_[0];  // nothing stored
    const Event& stored = stored_top();
    return fronts_ > 0 && earlier(front_[0], stored) ? front_[0] : stored;
  }
  // Removes top(). Inline, like top(): the kernel calls both once per event.
  void pop() {
    if (fronts_ > 0 && (size_ == fronts_ || earlier(front_[0], stored_top()))) {
      floor_ = front_[0].time;
      for (std::size_t k = 1; k < fronts_; ++k) front_[k - 1] = front_[k];
      --fronts_;
      --size_;
      return;
    }
    pop_stored();
  }

  // Calls fn(event) for every pending event, in no particular order (rare uses only:
  // Kernel::cancel's first call).
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t k = 0; k < fronts_; ++k) fn(front_[k]);
    for (std::size_t k = run_pos_; k < run_.size(); ++k) fn(run_[k]);
    for (const Event& e : near_) fn(e);
    for (const auto& level : buckets_)
      for (const Bucket& b : level)
        for (const Chunk* c = b.head; c != nullptr; c = c->next)
          for (std::size_t k = 0; k < c->count; ++k) fn(c->events[k]);
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Pre-allocates room for `events` pending events, so a run that knows its peak queue
  // never allocates mid-run.
  void reserve(std::size_t events);

 private:
  static constexpr int kDigits = 1 << kDigitBits;  // buckets per level
  static constexpr int kLevels = (64 - kNearBits + kDigitBits - 1) / kDigitBits;
  static constexpr int kMaskWords = kDigits / 64;
  static_assert(kDigits % 64 == 0 && kLevels <= 64);
  // 2 KiB: each non-empty bucket holds one partly filled chunk, so the slack is at most
  // kLevels × kDigits × 2 KiB (3.5 MiB) and in practice a few hundred KiB.
  static constexpr std::size_t kChunkEvents = 63;
  struct Chunk {
    Chunk* next;
    std::size_t count;
    Event events[kChunkEvents];
  };
  struct Bucket {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
    SimTime min = kTimeNever;  // earliest time in the bucket: the next `last` if split
  };

  // Min-heap order: earliest time first, then lowest sequence. Sequences are unique, so
  // this is a total order and the pop order does not depend on the heap's shape.
  static bool earlier(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void store(const Event& e);  // into the near heap or a bucket
  // Beyond this many near events, a near heap that only exists because last_ ran ahead
  // of the clock is put back into the buckets (rebase()).
  static constexpr std::size_t kRebaseAt = 64;
  void rebase();
  // The earliest stored event (not front_); at least one must be stored.
  const Event& stored_top() {
    if (run_pos_ == run_.size() && near_.empty()) refill();
    return from_run() ? run_[run_pos_] : near_.front();
  }
  void pop_stored();
  bool from_run() const {
    return run_pos_ < run_.size() && (near_.empty() || earlier(run_[run_pos_], near_.front()));
  }
  void append(const Event& e);
  void push_near(const Event& e);
  void sift_down(std::size_t i, const Event& e);
  void refill();
  Chunk* take_chunk();

  // The one or two earliest pushes since the slots were last empty, if earlier than
  // every push since: they stay out of the structure below, and a pop compares front_[0]
  // with the structure's top. The order is still exactly (time, seq).
  static constexpr std::size_t kFronts = 2;
  Event front_[kFronts] = {};  // sorted; front_[0] competes with the stored top
  std::size_t fronts_ = 0;
  // The block's events that were in a bucket when it began, sorted; run_pos_ is the next.
  std::vector<Event> run_;
  std::size_t run_pos_ = 0;
  // Events scheduled into the current block since it began: a 4-ary heap (children of i:
  // 4i+1 .. 4i+4), half the depth of a binary heap, a node's four children in two or three
  // cache lines (the kernel's whole queue before the buckets; docs/performance.md).
  std::vector<Event> near_;
  std::vector<Event> spare_;  // rebase()'s scratch
  // Bucket (level, digit): bit `digit` of mask_[level] says it has events, bit `level` of
  // levels_ that some bucket of the level has.
  Bucket buckets_[kLevels][kDigits];
  std::uint64_t mask_[kLevels][kMaskWords] = {};
  std::uint64_t levels_ = 0;
  SimTime last_ = 0;
  SimTime floor_ = 0;  // the time of the last event popped: no push goes below it
  std::uint64_t near_end_ = std::uint64_t{1} << kNearBits;  // (last_ | block mask) + 1
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<Chunk>> chunks_;  // every chunk ever made
  Chunk* free_ = nullptr;                       // reusable chunks, linked by `next`
};

}  // namespace faultline
