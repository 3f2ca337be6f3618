// limit_data: passes the first `bytes` bytes of the stream, then closes the connection.
// The count survives updates of the toxic (Toxiproxy keeps it as the link's state).
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class LimitData : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    limit_ = a.integer("bytes");
    if (sent_ >= limit_ && seen_data_) close_connection();
  }
  void on_data(Chunk chunk) override {
    seen_data_ = true;
    const std::int64_t left = std::max<std::int64_t>(0, limit_ - sent_);
    if (static_cast<std::int64_t>(chunk.size()) > left) {
      count_activation();
      chunk.truncate(static_cast<std::size_t>(left));
    }
    sent_ += static_cast<std::int64_t>(chunk.size());
    if (!chunk.empty()) pass(std::move(chunk));
    if (sent_ >= limit_) close_connection();
  }

 private:
  std::int64_t limit_ = 0;
  std::int64_t sent_ = 0;
  bool seen_data_ = false;
};
}  // namespace

ToxicKind limit_data_toxic() {
  return {"limit_data",
          "closes the connection when the transmitted data exceeds the limit",
          "toxiproxy",
          {{"bytes", AttributeKind::kInteger, "0", "bytes",
            "bytes let through before the connection is closed"}},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<LimitData>(c); }};
}

}  // namespace faultline::proxy
