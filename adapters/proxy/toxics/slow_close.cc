// slow_close: the end of the stream (the FIN) is passed on `delay` ms late; data is not
// touched. Mimics peers that linger before closing.
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class SlowClose : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    delay_ = std::chrono::milliseconds(a.integer("delay"));
  }
  void on_eof() override {
    count_activation();
    eof_after_held(true);
    wake_at(now() + delay_);
  }
  void on_timer() override { release_held_eof(); }
  void on_leave(bool) override {
    cancel_wake();
    release_held_eof();
  }

 private:
  std::chrono::milliseconds delay_{0};
};
}  // namespace

ToxicKind slow_close_toxic() {
  return {"slow_close",
          "delays the TCP socket from closing until delay has elapsed",
          "toxiproxy",
          {{"delay", AttributeKind::kInteger, "0", "ms", "how long the close is held back"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<SlowClose>(c); }};
}

}  // namespace faultline::proxy
