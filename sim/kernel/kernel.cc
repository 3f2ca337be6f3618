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
  handlers_.push_back(Handler{std::string(name), fn, context});
  return static_cast<HandlerId>(handlers_.size() - 1);
}

EventId Kernel::schedule_at(SimTime at, HandlerId handler, std::uint32_t target, std::uint64_t arg) {
  // Scheduling into the past would silently reorder causality; it is always a model bug.
  assert(at >= now_ && "event scheduled in the past");
  assert(handler < handlers_.size() && "unknown handler");
  const EventId id = next_seq_++;
  finished_.push_back(false);
  cancelled_.push_back(false);
  heap_.push_back(Event{at, id, handler, target, arg});
  std::push_heap(heap_.begin(), heap_.end(), later);
  return id;
}

bool Kernel::cancel(EventId id) {
  if (id >= next_seq_ || finished_[id] || cancelled_[id]) return false;
  cancelled_[id] = true;
  ++cancelled_pending_;
  return true;
}

void Kernel::pop_top() {
  finished_[heap_.front().seq] = true;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  heap_.pop_back();
}

RunResult Kernel::run(const RunBounds& bounds) {
  stop_requested_ = false;
  while (true) {
    if (!heap_.empty() && cancelled_pending_ != 0 && cancelled_[heap_.front().seq]) {
      --cancelled_pending_;
      pop_top();
      continue;
    }
    if (advance_ != nullptr) {
      const SimTime next = heap_.empty() ? bounds.until : std::min(heap_.front().time, bounds.until);
      if (next > advanced_to_) {
        advanced_to_ = next;
        const std::uint64_t before = next_seq_;
        advance_(advance_context_, *this, next);
        if (next_seq_ != before) continue;  // new events may come first
      }
    }
    if (heap_.empty()) break;
    const Event top = heap_.front();
    if (top.time > bounds.until) return {StopReason::kTimeLimit, processed_, now_};
    if (processed_ >= bounds.max_events) return {StopReason::kEventLimit, processed_, now_};
    pop_top();
    now_ = top.time;
    ++processed_;
    const Handler& h = handlers_[top.handler];
    h.fn(h.context, *this, top);
    if (stop_requested_) return {StopReason::kStopped, processed_, now_};
  }
  return {StopReason::kQueueEmpty, processed_, now_};
}

}  // namespace faultline
