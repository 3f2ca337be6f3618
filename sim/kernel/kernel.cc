#include "sim/kernel/kernel.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace faultline {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kQueueEmpty: return "queue empty";
    case StopReason::kTimeLimit: return "time limit";
    case StopReason::kEventLimit: return "event limit";
    case StopReason::kStopped: return "stopped";
  }
  return "?";
}

HandlerId Kernel::add_handler(std::string_view name, HandlerFn fn, void* context) {
  if (fn == nullptr) throw std::invalid_argument("kernel: handler '" + std::string(name) + "' is null");
  handlers_.push_back(Handler{std::string(name), fn, context, nullptr});
  return static_cast<HandlerId>(handlers_.size() - 1);
}

EventId Kernel::schedule_at(SimTime at, HandlerId handler, std::uint32_t target, std::uint64_t arg) {
  // Scheduling into the past would silently reorder causality; it is always a model bug.
  assert(at >= now_ && "event scheduled in the past");
  assert(handler < handlers_.size() && "unknown handler");
  const EventId id = next_seq_++;
  if ((id & 63) == 0) {
    finished_.push_back(0);
    cancelled_.push_back(0);
  }
  push(Event{at, id, handler, target, arg});
  return id;
}

bool Kernel::cancel(EventId id) {
  if (id >= next_seq_ || bit(finished_, id) || bit(cancelled_, id)) return false;
  set_bit(cancelled_, id);
  ++cancelled_pending_;
  return true;
}

// Sift up: move parents down until `e` fits (one write per level, no swaps).
void Kernel::push(const Event& e) {
  std::size_t i = heap_.size();
  heap_.push_back(e);
  Event* h = heap_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!earlier(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

// Removes the top: the last record sifts down from the root, each level moving the
// earliest of up to four children up.
void Kernel::pop_top() {
  Event* h = heap_.data();
  set_bit(finished_, h[0].seq);
  const Event last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t i = 0;
  while (true) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + 4, n);
    for (std::size_t c = first + 1; c < end; ++c)
      if (earlier(h[c], h[best])) best = c;
    if (!earlier(h[best], last)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = last;
}

RunResult Kernel::run(const RunBounds& bounds) {
  stop_requested_ = false;
  while (true) {
    if (!empty() && cancelled_pending_ != 0 && bit(cancelled_, top().seq)) {
      --cancelled_pending_;
      pop_top();
      continue;
    }
    if (advance_ != nullptr) {
      const SimTime next = empty() ? bounds.until : std::min(top().time, bounds.until);
      if (next > advanced_to_) {
        advanced_to_ = next;
        const std::uint64_t before = next_seq_;
        advance_(advance_context_, *this, next);
        if (next_seq_ != before) continue;  // new events may come first
      }
    }
    if (empty()) break;
    if (top().time > bounds.until) return {StopReason::kTimeLimit, processed_, now_};
    if (processed_ >= bounds.max_events) return {StopReason::kEventLimit, processed_, now_};
    const Event e = top();  // a copy: pop_top overwrites the root
    pop_top();
    if (!empty()) {
      const Handler& next = handlers_[top().handler];
      if (next.prefetch != nullptr) next.prefetch(next.context, top());
    }
    now_ = e.time;
    ++processed_;
    const Handler& h = handlers_[e.handler];
    h.fn(h.context, *this, e);
    if (stop_requested_) return {StopReason::kStopped, processed_, now_};
  }
  return {StopReason::kQueueEmpty, processed_, now_};
}

}  // namespace faultline
