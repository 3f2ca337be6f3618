// reset_peer: at the first data (or the end of the stream) after the toxic applies, wait
// `timeout` ms and reset the connection: both peers get a TCP RST ("connection reset by
// peer") and unsent data is discarded. Data arriving meanwhile is dropped. Toxiproxy sets
// SO_LINGER 0 only on connections that existed with the toxic; here the reset is always
// a real RST.
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class ResetPeer : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    timeout_ = std::chrono::milliseconds(a.integer("timeout"));
  }
  void on_data(Chunk) override { trigger(); }
  void on_eof() override { trigger(); }
  void on_timer() override {
    if (active()) reset_connection();
  }
  void on_leave(bool) override {
    cancel_wake();
    triggered_ = false;
  }

 private:
  void trigger() {
    if (triggered_) return;
    triggered_ = true;
    count_activation();
    if (timeout_.count() == 0) return reset_connection();
    wake_at(now() + timeout_);
  }
  std::chrono::milliseconds timeout_{0};
  bool triggered_ = false;
};
}  // namespace

ToxicKind reset_peer_toxic() {
  return {"reset_peer",
          "simulates a TCP RESET (connection reset by peer) on the connection, at once or "
          "after a timeout",
          "toxiproxy",
          {{"timeout", AttributeKind::kInteger, "0", "ms",
            "reset this long after the first data; 0 resets at once"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<ResetPeer>(c); }};
}

}  // namespace faultline::proxy
