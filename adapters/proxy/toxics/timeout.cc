// timeout: stops all data from getting through, and closes the connection after
// `timeout` ms without data (each chunk that arrives restarts the wait, as in
// Toxiproxy). With timeout 0 the connection stays open and silent until the toxic is
// removed. Removing it closes the connections it held (Toxiproxy's Cleanup): their
// streams have a hole in them and must not carry on.
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class Timeout : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    timeout_ = std::chrono::milliseconds(a.integer("timeout"));
    arm();
  }
  void on_data(Chunk) override {  // dropped
    count_activation();
    arm();
  }
  void on_timer() override {
    if (active()) close_connection();
  }
  void on_leave(bool removed) override {
    cancel_wake();
    if (removed) close_connection();
  }

 private:
  void arm() {
    if (timeout_.count() > 0)
      wake_at(now() + timeout_);
    else
      cancel_wake();
  }
  std::chrono::milliseconds timeout_{0};
};
}  // namespace

ToxicKind timeout_toxic() {
  return {"timeout",
          "stops all data from getting through, and closes the connection after timeout; "
          "with timeout 0 the connection is held open, silent, until the toxic is removed",
          "toxiproxy",
          {{"timeout", AttributeKind::kInteger, "0", "ms",
            "close after this long without data; 0 never closes"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<Timeout>(c); }};
}

}  // namespace faultline::proxy
