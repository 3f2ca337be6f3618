// silent_drop: the bytes are read — so the sender's TCP stack sees them acknowledged —
// and never forwarded; nothing else changes: the connection stays open, closes pass
// through, and when the toxic goes, data flows again. The live form of the flagship
// incident's vendor that accepts messages and loses them. Unlike `timeout` it never
// closes anything, on its own or when removed. (For an HTTP vendor that should also
// answer "accepted", use http_error with status 202.)
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class SilentDrop : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes&) override {}
  void on_data(Chunk) override { count_activation(); }
};
}  // namespace

ToxicKind silent_drop_toxic() {
  return {
      "silent_drop",
      "accepts the bytes (TCP acknowledges them) and never forwards them; the "
      "connection stays open",
      "faultline",
      {},
      [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<SilentDrop>(c); }};
}

}  // namespace faultline::proxy
