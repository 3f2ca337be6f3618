// bandwidth: data leaves at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy counts). Each
// piece of at most 100 ms' worth (rate × 100 bytes, Toxiproxy's piece) leaves len / rate
// ms after the previous one. Chunks wait whole and are cut only as they leave, so a slow
// rate never multiplies the memory held; what waits counts against the link's cap, which
// then stops reading: the sender is slowed by TCP. rate 0 lets nothing through until the
// toxic is removed (Toxiproxy stalls the same way).
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class Bandwidth : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    rate_kb_s_ = a.integer("rate");
    if (!queue_.empty() && !waiting_) schedule();
  }
  void on_data(Chunk chunk) override {
    count_activation();
    queue_.push_back(std::move(chunk));
    if (!waiting_) schedule();
  }
  void on_eof() override { eof_after_held(!queue_.empty()); }
  void on_timer() override {
    waiting_ = false;
    Chunk& front = queue_.front();
    if (piece_ == front.size() - offset_ && offset_ == 0) {
      pass(std::move(front));
      queue_.pop_front();
    } else {
      pass(front.slice(pool(), offset_, piece_));
      offset_ += piece_;
      if (offset_ == front.size()) {
        queue_.pop_front();
        offset_ = 0;
      }
    }
    if (!queue_.empty())
      schedule(/*continuing=*/true);
    else
      release_held_eof();
  }
  void on_leave(bool) override {
    cancel_wake();
    waiting_ = false;
    if (!queue_.empty() && offset_ > 0) {
      Chunk& front = queue_.front();
      pass(front.slice(pool(), offset_, front.size() - offset_));
      queue_.pop_front();
    }
    offset_ = 0;
    for (Chunk& c : queue_) pass(std::move(c));
    queue_.clear();
    release_held_eof();
  }

 private:
  // `continuing`: the previous piece just left and more waits. The next is due a piece's
  // time after the previous one was *due*, even if the timer fired late — a late wake-up
  // is caught up, so the rate holds over the transfer (Toxiproxy carries its oversleep
  // the same way). After an idle spell the clock restarts from now.
  void schedule(bool continuing = false) {
    if (queue_.empty() || rate_kb_s_ <= 0) return;
    const std::size_t piece_max = static_cast<std::size_t>(rate_kb_s_) * 100;  // 100 ms' worth
    piece_ = std::min(piece_max, queue_.front().size() - offset_);
    // piece bytes at rate KB/s = piece / rate ms = piece * 1e6 / rate ns.
    busy_until_ =
        (continuing ? busy_until_ : std::max(now(), busy_until_)) +
        std::chrono::nanoseconds(static_cast<std::int64_t>(piece_) * 1'000'000 / rate_kb_s_);
    waiting_ = true;
    wake_at(busy_until_);
  }

  std::int64_t rate_kb_s_ = 0;
  std::deque<Chunk> queue_;
  std::size_t offset_ = 0;  // bytes of the front chunk already sent
  std::size_t piece_ = 0;   // bytes of the piece being waited for
  TimePoint busy_until_{};
  bool waiting_ = false;
};
}  // namespace

ToxicKind bandwidth_toxic() {
  return {"bandwidth",
          "limits a connection to a maximum number of kilobytes per second",
          "toxiproxy",
          {{"rate", AttributeKind::kInteger, "0", "KB/s",
            "bytes per second / 1000; 0 lets nothing through"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<Bandwidth>(c); }};
}

}  // namespace faultline::proxy
