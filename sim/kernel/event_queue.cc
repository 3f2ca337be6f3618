#include "sim/kernel/event_queue.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace faultline {

EventQueue::Chunk* EventQueue::take_chunk() {
  Chunk* c = free_;
  if (c != nullptr) {
    free_ = c->next;
  } else {
    // Uninitialised: the events are written before they are read.
    chunks_.push_back(std::make_unique_for_overwrite<Chunk>());
    c = chunks_.back().get();
  }
  c->next = nullptr;
  c->count = 0;
  return c;
}

void EventQueue::reserve(std::size_t events) {
  std::size_t have = 0;
  for (const Chunk* c = free_; c != nullptr; c = c->next) have += kChunkEvents;
  while (have < events) {
    chunks_.push_back(std::make_unique_for_overwrite<Chunk>());
    Chunk* c = chunks_.back().get();
    c->next = free_;
    free_ = c;
    have += kChunkEvents;
  }
}

// Bucket (level, digit) of an event at or after near_end_: `level` is the highest digit
// in which its time differs from last_ (it is later, so that digit is larger).
void EventQueue::append(const Event& e) {
  const auto t = static_cast<std::uint64_t>(e.time);
  const int high = std::bit_width(t ^ static_cast<std::uint64_t>(last_)) - 1 - kNearBits;
  assert(high >= 0);
  const int level = high / kDigitBits;
  const auto digit = static_cast<int>((t >> (kNearBits + level * kDigitBits)) & (kDigits - 1));
  Bucket& b = buckets_[level][digit];
  if (b.tail == nullptr) {
    b.head = b.tail = take_chunk();
    mask_[level][digit / 64] |= std::uint64_t{1} << (digit % 64);
    levels_ |= std::uint64_t{1} << level;
  } else if (b.tail->count == kChunkEvents) {
    Chunk* c = take_chunk();
    b.tail->next = c;
    b.tail = c;
  }
  b.tail->events[b.tail->count++] = e;
  b.min = std::min(b.min, e.time);
}

void EventQueue::store(const Event& e) {
  if (static_cast<std::uint64_t>(e.time) < near_end_) {
    push_near(e);
    if (near_.size() > kRebaseAt && (floor_ >> kNearBits) < (last_ >> kNearBits)) rebase();
  } else {
    append(e);
  }
}

// Sift up: move parents down until `e` fits (one write per level, no swaps).
void EventQueue::push_near(const Event& e) {
  std::size_t i = near_.size();
  near_.push_back(e);
  Event* h = near_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!earlier(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

// Puts `e` at position i or below, each level moving the earliest of up to four children
// up; the heap below i must be a heap (i is 0: the root is being replaced).
void EventQueue::sift_down(std::size_t i, const Event& e) {
  Event* h = near_.data();
  const std::size_t n = near_.size();
  while (true) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + 4, n);
    for (std::size_t c = first + 1; c < end; ++c)
      if (earlier(h[c], h[best])) best = c;
    if (!earlier(h[best], e)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = e;
}

void EventQueue::pop_stored() {
  if (run_pos_ == run_.size() && near_.empty()) refill();
  --size_;
  if (from_run()) {
    floor_ = run_[run_pos_++].time;
    return;
  }
  floor_ = near_.front().time;
  const Event last = near_.back();
  near_.pop_back();
  if (!near_.empty()) sift_down(0, last);
}

// A split (refill) makes the lowest bucket's earliest time the new last_, and top() may
// split before the running handler has scheduled: last_ then lies ahead of the clock,
// and every event the model schedules before it lands in the near heap. Early in the
// reference workload last_ jumps three days ahead (the next due-list event), and the
// near heap grew to ~13,000 events on average at 1e6 borrowers: a heap in disguise.
// Rebasing makes floor_ (the clock) the new last_. Buckets of the levels below the one
// where floor_ and last_ first differ hold events that share that digit with last_, so
// relative to floor_ they all belong to one bucket: their chunk lists are linked into it
// without touching an event. Buckets of that level and above keep their place. Only the
// run and the near heap are re-stored, one event at a time.
void EventQueue::rebase() {
  const auto old_last = static_cast<std::uint64_t>(last_);
  const auto floor = static_cast<std::uint64_t>(floor_);
  const int high = std::bit_width(floor ^ old_last) - 1 - kNearBits;
  assert(high >= 0);
  const int top_level = high / kDigitBits;
  const auto into =
      static_cast<int>((old_last >> (kNearBits + top_level * kDigitBits)) & (kDigits - 1));
  Bucket& merged = buckets_[top_level][into];
  assert(merged.head == nullptr);
  for (int level = 0; level < top_level; ++level) {
    if ((levels_ & (std::uint64_t{1} << level)) == 0) continue;
    for (int w = 0; w < kMaskWords; ++w) {
      for (std::uint64_t bits = mask_[level][w]; bits != 0; bits &= bits - 1) {
        Bucket& b = buckets_[level][w * 64 + std::countr_zero(bits)];
        if (merged.tail == nullptr) {
          merged.head = b.head;
        } else {
          merged.tail->next = b.head;
        }
        merged.tail = b.tail;
        merged.min = std::min(merged.min, b.min);
        b = Bucket{};
      }
      mask_[level][w] = 0;
    }
    levels_ &= ~(std::uint64_t{1} << level);
  }
  if (merged.head != nullptr) {
    mask_[top_level][into / 64] |= std::uint64_t{1} << (into % 64);
    levels_ |= std::uint64_t{1} << top_level;
  }
  last_ = floor_;
  near_end_ = (floor | ((std::uint64_t{1} << kNearBits) - 1)) + 1;
  // Re-store the run's rest and the near heap: into the new block's heap or a bucket.
  // spare_ keeps its capacity, so a rebase allocates nothing once the run is warm.
  spare_.clear();
  spare_.swap(near_);
  for (std::size_t k = run_pos_; k < run_.size(); ++k) spare_.push_back(run_[k]);
  run_.clear();
  run_pos_ = 0;
  for (const Event& e : spare_) {
    if (static_cast<std::uint64_t>(e.time) < near_end_) {
      push_near(e);
    } else {
      append(e);
    }
  }
  spare_.clear();
}

// No near event is left: split the lowest non-empty bucket. Its earliest time becomes
// last_; its events in last_'s block go to run_, the others to lower levels (they share
// the new last_'s digits down to and including this level's). Every other bucket keeps
// its place: the new last_ has the old one's digits above this level, and at this level
// a digit smaller than those of the level's other buckets.
void EventQueue::refill() {
  assert(run_pos_ == run_.size() && near_.empty() && size_ > 0 && levels_ != 0);
  run_.clear();
  run_pos_ = 0;
  const int level = std::countr_zero(levels_);
  std::uint64_t* words = mask_[level];
  int word = 0;
  while (words[word] == 0) ++word;
  const int digit = word * 64 + std::countr_zero(words[word]);
  words[word] &= words[word] - 1;  // the lowest set bit is `digit`
  bool level_empty = true;
  for (int w = 0; w < kMaskWords; ++w) level_empty = level_empty && words[w] == 0;
  if (level_empty) levels_ &= levels_ - 1;
  Bucket& source = buckets_[level][digit];
  Chunk* c = source.head;
  last_ = source.min;
  near_end_ = (static_cast<std::uint64_t>(last_) | ((std::uint64_t{1} << kNearBits) - 1)) + 1;
  source = Bucket{};
  if (c->count == 1 && c->next == nullptr) {
    // A bucket of one event, the usual split when events are sparse (the reference
    // workload: one event per ~100 ms, buckets of 256 µs and 65 ms at the two lowest
    // levels): its event is last_, so it is the run.
    run_.push_back(c->events[0]);
    c->next = free_;
    free_ = c;
    return;
  }
  while (c != nullptr) {
    Chunk* const next_chunk = c->next;
    for (std::size_t k = 0; k < c->count; ++k) {
      // The bucket was written long ago and is out of cache: fetch 8 lines ahead, across
      // into the next chunk (a separate allocation the hardware prefetcher cannot guess).
      // BM_KernelHoldFar/1e7: ~60 ns an event with it, ~69 without (noisy machine).
      constexpr std::size_t kAhead = 16;
      if (k % 2 == 0) {
        if (k + kAhead < c->count) {
          __builtin_prefetch(&c->events[k + kAhead]);
        } else if (next_chunk != nullptr) {
          __builtin_prefetch(&next_chunk->events[k + kAhead - c->count]);
        }
      }
      const Event& e = c->events[k];
      if (static_cast<std::uint64_t>(e.time) < near_end_) {
        run_.push_back(e);
      } else {
        append(e);
      }
    }
    // Read in full before it is reused, possibly by the appends of the next chunk.
    c->next = free_;
    free_ = c;
    c = next_chunk;
  }
  // Usually a handful of events. Events of equal time are always in sequence order here
  // (the later one was appended to wherever the earlier one was, and moves keep the
  // order), so a batch due at one instant is already sorted and checking is all it costs.
  // A lambda, not the function: std::sort inlines it (through a pointer it cannot).
  const auto by_key = [](const Event& a, const Event& b) { return earlier(a, b); };
  if (!std::is_sorted(run_.begin(), run_.end(), by_key))
    std::sort(run_.begin(), run_.end(), by_key);
}

}  // namespace faultline
