#include "sim/kernel/kernel.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace faultline {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kQueueEmpty:
      return "queue empty";
    case StopReason::kTimeLimit:
      return "time limit";
    case StopReason::kEventLimit:
      return "event limit";
    case StopReason::kStopped:
      return "stopped";
  }
  return "?";
}

HandlerId Kernel::add_handler(std::string_view name, HandlerFn fn, void* context,
                              Prefetch prefetch) {
  if (fn == nullptr)
    throw std::invalid_argument("kernel: handler '" + std::string(name) + "' is null");
  handlers_.push_back(Handler{std::string(name), fn, context, prefetch});
  return static_cast<HandlerId>(handlers_.size() - 1);
}

void Kernel::grow_tracking() {
  finished_.push_back(0);
  cancelled_.push_back(0);
}

// Every id below next_seq_ was scheduled; those no longer queued ran (or were discarded).
void Kernel::start_tracking() {
  const std::size_t words = (next_seq_ + 63) / 64;
  finished_.assign(words, ~std::uint64_t{0});
  cancelled_.assign(words, 0);
  // Ids from next_seq_ on are not scheduled yet: their bits must start clear.
  if (next_seq_ % 64 != 0) finished_.back() = (std::uint64_t{1} << (next_seq_ % 64)) - 1;
  queue_.for_each(
      [this](const Event& e) { finished_[e.seq >> 6] &= ~(std::uint64_t{1} << (e.seq & 63)); });
  tracking_ = true;
}

bool Kernel::cancel(EventId id) {
  if (id >= next_seq_) return false;
  if (!tracking_) start_tracking();
  if (bit(finished_, id) || bit(cancelled_, id)) return false;
  set_bit(cancelled_, id);
  ++cancelled_pending_;
  return true;
}

RunResult Kernel::run(const RunBounds& bounds) {
  stop_requested_ = false;
  while (true) {
    // The queue's top() found once per event (it compares the sorted run with the near
    // heap, and may split a bucket): nothing below changes the queue before the pop, and
    // advance_ changes it only when it schedules (then the loop starts over).
    const Event* top_event = empty() ? nullptr : &top();
    if (top_event != nullptr && cancelled_pending_ != 0 && bit(cancelled_, top_event->seq)) {
      --cancelled_pending_;
      set_bit(finished_, top_event->seq);
      queue_.pop();
      continue;
    }
    if (advance_ != nullptr) {
      const SimTime next =
          top_event == nullptr ? bounds.until : std::min(top_event->time, bounds.until);
      if (next > advanced_to_) {
        advanced_to_ = next;
        const std::uint64_t before = next_seq_;
        advance_(advance_context_, *this, next);
        if (next_seq_ != before) continue;  // new events may come first
      }
    }
    if (top_event == nullptr) break;
    if (top_event->time > bounds.until) return {StopReason::kTimeLimit, processed_, now_};
    if (processed_ >= bounds.max_events) return {StopReason::kEventLimit, processed_, now_};
    const Event e = *top_event;  // a copy: the pop invalidates the reference
    if (tracking_) set_bit(finished_, e.seq);
    queue_.pop();
    if (!empty()) {
      const Event& upcoming = top();
      const Handler& next = handlers_[upcoming.handler];
      if (next.prefetch.fn != nullptr) next.prefetch.fn(next.prefetch.context, upcoming);
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
