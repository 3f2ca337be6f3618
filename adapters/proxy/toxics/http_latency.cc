// http_latency (HTTP/1.1 upstreams): delays only the requests (upstream stream) or the
// responses (downstream stream) whose request matches `method` and `path_prefix`, by
// `latency` ± `jitter` ms — a slow endpoint behind a fast one, where `latency` would slow
// the whole connection. Other messages pass at once unless they queue behind a delayed
// one on the same connection (HTTP/1.1 answers in order).
#include "adapters/proxy/http_framer.h"
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class HttpLatency : public DelayStage {
 public:
  using DelayStage::DelayStage;
  void configure(const Attributes& a) override {
    latency_ms_ = a.integer("latency");
    jitter_ms_ = a.integer("jitter");
    prefix_ = a.text("path_prefix");
    method_ = a.text("method");
  }
  void on_data(Chunk chunk) override {
    if (chunk.message_start) {
      const HttpRequestInfo* request = stream() == Stream::kUpstream
                                           ? http().request(chunk.message)
                                           : http().response_request(chunk.message);
      delay_ = std::chrono::milliseconds(0);
      if (request && request->path.rfind(prefix_, 0) == 0 &&
          (method_.empty() || method_ == request->method)) {
        std::int64_t ms = latency_ms_;
        if (jitter_ms_ > 0) ms += draw_int(-jitter_ms_, jitter_ms_ - 1);
        delay_ = std::chrono::milliseconds(ms);
        count_activation();
      }
      message_ = chunk.message;
    }
    const bool delayed = chunk.message != Chunk::kNoMessage && chunk.message == message_;
    const TimePoint due = delayed ? chunk.stamp + delay_ : chunk.stamp;
    hold(std::move(chunk), due);
  }

 private:
  std::int64_t latency_ms_ = 0, jitter_ms_ = 0;
  std::string prefix_, method_;
  std::chrono::milliseconds delay_{0};
  std::uint32_t message_ = Chunk::kNoMessage;
};
}  // namespace

ToxicKind http_latency_toxic() {
  return {
      "http_latency",
      "delays only the HTTP/1.1 requests (or responses) matching a method and path prefix",
      "faultline",
      {{"latency", AttributeKind::kInteger, "0", "ms", "delay added to matching messages"},
       {"jitter", AttributeKind::kInteger, "0", "ms",
        "the delay varies uniformly by up to ± this much"},
       {"path_prefix", AttributeKind::kText, "\"\"", "", "only requests whose path starts so"},
       {"method", AttributeKind::kText, "\"\"", "", "only this method (GET, POST...); empty: any"}},
      [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<HttpLatency>(c); }};
}

}  // namespace faultline::proxy
