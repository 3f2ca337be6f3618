// latency: every chunk leaves `latency` ± `jitter` ms after the proxy read it (Toxiproxy's
// latency: the delay counts from the read, so a burst is delayed once, not once per
// chunk; order is kept, so a short draw waits behind a long one). The jitter is a whole
// number of ms uniform in [-jitter, jitter), as Toxiproxy draws it — here from the keyed
// stream of this toxic and connection.
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class Latency : public DelayStage {
 public:
  using DelayStage::DelayStage;
  void configure(const Attributes& a) override {
    latency_ms_ = a.integer("latency");
    jitter_ms_ = a.integer("jitter");
  }
  void on_data(Chunk chunk) override {
    std::int64_t delay_ms = latency_ms_;
    if (jitter_ms_ > 0) delay_ms += draw_int(-jitter_ms_, jitter_ms_ - 1);
    TimePoint due = chunk.stamp + std::chrono::milliseconds(delay_ms);
    if (due < last_due()) due = last_due();
    chunk.stamp = due;  // a later latency toxic in the chain adds to this one
    count_activation();
    hold(std::move(chunk), due);
  }

 private:
  std::int64_t latency_ms_ = 0;
  std::int64_t jitter_ms_ = 0;
};
}  // namespace

ToxicKind latency_toxic() {
  return {"latency",
          "adds a delay to all data going through the proxy: latency ± jitter",
          "toxiproxy",
          {{"latency", AttributeKind::kInteger, "0", "ms", "delay added to each chunk"},
           {"jitter", AttributeKind::kInteger, "0", "ms",
            "the delay varies uniformly by up to ± this much"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<Latency>(c); }};
}

}  // namespace faultline::proxy
