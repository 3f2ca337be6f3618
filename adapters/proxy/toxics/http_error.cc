// http_error (HTTP/1.1 upstreams): answers a share of requests with an error the proxy
// makes itself — 503, or 429 with Retry-After, or any status. On the upstream stream the
// request never reaches the server (a gateway or vendor refusing at its door); on the
// downstream stream the server handles it and its response is replaced (the charge went
// through but the client saw an error — what makes retries charge twice). Keep-alive is
// kept: the proxy's answer has a Content-Length and takes the place of the server's, in
// order, also when requests are pipelined.
//
// Which requests: those whose path starts with `path_prefix`, each with probability
// `rate` (one keyed draw per request). Non-HTTP traffic passes untouched.
#include "adapters/http/message.h"
#include "adapters/proxy/connection.h"
#include "adapters/proxy/link.h"
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class HttpError : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes& a) override {
    status_ = static_cast<int>(a.integer("status"));
    rate_ = a.number("rate");
    retry_after_s_ = a.integer("retry_after");
    prefix_ = a.text("path_prefix");
    body_ = a.text("body");
  }

  void on_data(Chunk chunk) override {
    if (chunk.message == Chunk::kNoMessage) return pass(std::move(chunk));
    if (chunk.message_start) {
      dropping_ = false;
      const HttpRequestInfo* request = stream() == Stream::kUpstream
                                           ? http().request(chunk.message)
                                           : http().response_request(chunk.message);
      if (request && request->path.rfind(prefix_, 0) == 0 && draw() < rate_) {
        dropping_ = true;
        dropping_message_ = chunk.message;
        count_activation();
        answer(*request, chunk);
      }
    }
    if (dropping_ && chunk.message == dropping_message_) return;
    pass(std::move(chunk));
  }

 private:
  void answer(const HttpRequestInfo& request, const Chunk& replaced) {
    std::string response = render(request);
    if (stream() == Stream::kUpstream) {
      // After the responses to the requests before this one that the server does see.
      HttpExchange& exchange = http();
      const std::uint32_t after = request.message - exchange.intercepted;
      ++exchange.intercepted;
      link().connection().inject_response(std::move(response), after, request.close);
      return;
    }
    Chunk made(pool(), response, replaced.stamp);
    made.message = replaced.message;
    made.message_start = true;
    made.message_end = true;
    made.set_account(&link().account());
    pass(std::move(made));
  }

  std::string render(const HttpRequestInfo& request) const {
    const std::string reason(http::reason_phrase(status_));
    const std::string body = body_.empty() ? reason + "\n" : body_;
    const bool json = !body.empty() && (body.front() == '{' || body.front() == '[');
    std::string out = "HTTP/1." + std::to_string(request.version_minor) + " " +
                      std::to_string(status_) + " " + reason + "\r\n";
    out +=
        json ? "Content-Type: application/json\r\n" : "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (retry_after_s_ > 0) out += "Retry-After: " + std::to_string(retry_after_s_) + "\r\n";
    if (request.close) out += "Connection: close\r\n";
    out += "X-Faultline-Toxic: " + name() + "\r\n\r\n";
    if (request.method != "HEAD") out += body;
    return out;
  }

  int status_ = 503;
  double rate_ = 1;
  std::int64_t retry_after_s_ = 0;
  std::string prefix_, body_;
  bool dropping_ = false;
  std::uint32_t dropping_message_ = Chunk::kNoMessage;
};
}  // namespace

ToxicKind http_error_toxic() {
  return {
      "http_error",
      "answers a share of HTTP/1.1 requests with an error status made by the proxy "
      "(upstream: the server never sees them; downstream: its response is replaced)",
      "faultline",
      {{"status", AttributeKind::kInteger, "503", "", "HTTP status to answer with", 200, 599},
       {"rate", AttributeKind::kNumber, "1", "share", "share of matching requests hit", 0, 1},
       {"retry_after", AttributeKind::kInteger, "0", "s", "Retry-After header value; 0 sends none"},
       {"path_prefix", AttributeKind::kText, "\"\"", "", "only requests whose path starts so"},
       {"body", AttributeKind::kText, "\"\"", "",
        "response body (JSON if it starts with { or [); default: the reason phrase"}},
      [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<HttpError>(c); }};
}

}  // namespace faultline::proxy
