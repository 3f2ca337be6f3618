// slicer: slices each chunk into pieces of about `average_size` ± `size_variation` bytes,
// `delay` µs apart — what a real network does to a write, and what finds parsers that
// assume one read is one message. Slicing is Toxiproxy's (halve until a piece is small
// enough, each cut moved by a draw in [-size_variation, size_variation)); the draws come
// from this toxic's keyed stream. average_size 0 leaves chunks whole (Toxiproxy would
// recurse forever).
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class Slicer : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    average_ = static_cast<std::size_t>(a.integer("average_size"));
    variation_ = static_cast<std::size_t>(a.integer("size_variation"));
    delay_ = std::chrono::microseconds(a.integer("delay"));
  }
  void on_data(Chunk chunk) override {
    Held held{std::move(chunk), {}, 0};
    if (average_ > 0) {
      count_activation();
      cut(held.cuts, 0, held.chunk.size());  // the draws happen in arrival order
    } else {
      held.cuts = {0, held.chunk.size()};
    }
    queue_.push_back(std::move(held));
    if (!waiting_) next();
  }
  void on_eof() override { eof_after_held(!queue_.empty()); }
  void on_timer() override {
    waiting_ = false;
    next();
  }
  void on_leave(bool) override {
    cancel_wake();
    waiting_ = false;
    for (Held& h : queue_) {
      const std::size_t from = h.cuts[h.next];
      pass(h.chunk.slice(pool(), from, h.chunk.size() - from));
    }
    queue_.clear();
    release_held_eof();
  }

 private:
  struct Held {
    Chunk chunk;
    std::vector<std::size_t> cuts;  // pairs of offsets: [cuts[i], cuts[i + 1])
    std::size_t next;               // the next pair to send
  };

  // Sends slices until one must wait `delay`: Toxiproxy sends a slice, then sleeps.
  void next() {
    while (!queue_.empty()) {
      if (now() < next_at_) {
        waiting_ = true;
        return wake_at(next_at_);
      }
      Held& h = queue_.front();
      const std::size_t from = h.cuts[h.next], to = h.cuts[h.next + 1];
      h.next += 2;
      const bool last = h.next >= h.cuts.size();
      if (last && from == 0 && to == h.chunk.size()) {
        pass(std::move(h.chunk));
      } else {
        pass(h.chunk.slice(pool(), from, to - from));
      }
      if (last) queue_.pop_front();
      next_at_ = now() + delay_;
    }
    release_held_eof();
  }

  // Appends [start, end) split into pieces, as pairs of offsets.
  void cut(std::vector<std::size_t>& cuts, std::size_t start, std::size_t end) {
    if (end - start <= average_ + variation_) {
      cuts.push_back(start);
      cuts.push_back(end);
      return;
    }
    std::size_t mid = start + (end - start) / 2;
    if (variation_ > 0) {
      const auto v = static_cast<std::int64_t>(variation_);
      mid = static_cast<std::size_t>(static_cast<std::int64_t>(mid) + draw_int(-v, v - 1));
    }
    cut(cuts, start, mid);
    cut(cuts, mid, end);
  }

  std::size_t average_ = 0, variation_ = 0;
  std::chrono::microseconds delay_{0};
  std::deque<Held> queue_;
  TimePoint next_at_{};
  bool waiting_ = false;
};

std::string check(const Attributes& a) {
  if (a.integer("average_size") > 0 && a.integer("size_variation") >= a.integer("average_size"))
    return "attribute size_variation of slicer must be less than average_size";
  return {};
}
}  // namespace

ToxicKind slicer_toxic() {
  return {"slicer",
          "slices TCP data up into small bits, optionally adding a delay between each slice",
          "toxiproxy",
          {{"average_size", AttributeKind::kInteger, "0", "bytes",
            "average size of a slice; 0 leaves data whole"},
           {"size_variation", AttributeKind::kInteger, "0", "bytes",
            "slices vary by up to ± this much; less than average_size"},
           {"delay", AttributeKind::kInteger, "0", "µs", "pause between slices"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<Slicer>(c); },
          check};
}

}  // namespace faultline::proxy
