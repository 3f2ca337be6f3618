// The client's attempt loop: resolve → connect → write → read, all under one deadline per
// attempt (beast::tcp_stream's expiry, re-armed with the time left before each step), and
// a steady_timer for the back-off between attempts.
#include "adapters/http/client.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cmath>
#include <memory>

#include "adapters/common/address.h"

namespace faultline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

std::optional<Url> parse_url(std::string_view url, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<Url> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme)
    return fail("only http:// URLs are supported, got '" + std::string(url) + "'");
  url.remove_prefix(kScheme.size());
  const auto slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  Url out;
  out.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.empty()) return fail("the URL has no host");
  const bool has_port = authority.back() != ']' && authority.find(':') != std::string_view::npos;
  if (has_port) {
    std::string reason;
    const auto hp = adapters::parse_host_port(authority, &reason);
    if (!hp) return fail("bad host:port in URL: " + reason);
    out.host = hp->host;
    out.port = hp->port;
  } else {
    out.host = std::string(authority);
    if (out.host.size() > 2 && out.host.front() == '[')
      out.host = out.host.substr(1, out.host.size() - 2);
  }
  if (out.host.empty()) return fail("the URL has no host");
  return out;
}

milliseconds retry_delay(const ClientOptions& options, int attempt,
                         std::optional<milliseconds> retry_after) {
  const double scaled = static_cast<double>(options.backoff.count()) *
                        std::pow(options.backoff_multiplier, std::max(0, attempt - 1));
  milliseconds delay = scaled >= static_cast<double>(options.max_backoff.count())
                           ? options.max_backoff
                           : milliseconds(static_cast<std::int64_t>(scaled));
  if (retry_after && *retry_after > delay) delay = std::min(*retry_after, options.max_backoff);
  return delay;
}

namespace {

bool retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

std::optional<milliseconds> parse_retry_after(const Headers& headers) {
  const auto value = headers.get("Retry-After");
  if (!value) return std::nullopt;
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc() || end != value->data() + value->size() || seconds < 0) return std::nullopt;
  return milliseconds(seconds * 1000);
}

class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(asio::io_context& io, Url url, std::string method, Headers headers, std::string body,
       ClientOptions options, std::function<void(ClientResponse)> done)
      : io_(io),
        url_(std::move(url)),
        resolver_(io),
        backoff_timer_(io),
        options_(options),
        done_(std::move(done)) {
    request_.method_string(method);
    request_.target(url_.target);
    request_.version(11);
    request_.set(bhttp::field::host, adapters::join_host_port(url_.host, url_.port));
    request_.set(bhttp::field::user_agent, "faultline");
    for (const auto& [name, value] : headers.fields()) request_.set(name, value);
    request_.body() = std::move(body);
    request_.keep_alive(false);
    request_.prepare_payload();
  }

  void attempt() {
    ++result_.attempts;
    deadline_ = std::chrono::steady_clock::now() + options_.timeout;
    stream_.emplace(io_);
    parser_.emplace();
    parser_->body_limit(options_.max_response_bytes);
    buffer_.clear();
    resolve_timer_ = std::make_shared<asio::steady_timer>(io_, deadline_);
    resolve_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->resolver_.cancel();
    });
    resolver_.async_resolve(
        url_.host, std::to_string(url_.port), tcp::resolver::numeric_service,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          self->resolve_timer_->cancel();
          if (ec)
            return self->failed(ec == asio::error::operation_aborted
                                    ? "timed out resolving " + self->url_.host
                                    : "cannot resolve " + self->url_.host + ": " + ec.message());
          self->stream_->expires_at(self->deadline_);
          self->stream_->async_connect(
              results, [self](beast::error_code cec, const tcp::endpoint&) {
                if (cec) return self->failed(self->describe("cannot connect to", cec));
                self->stream_->expires_at(self->deadline_);
                bhttp::async_write(*self->stream_, self->request_,
                                   [self](beast::error_code wec, std::size_t) {
                                     if (wec)
                                       return self->failed(self->describe("cannot send to", wec));
                                     self->read();
                                   });
              });
        });
  }

 private:
  void read() {
    stream_->expires_at(deadline_);
    bhttp::async_read(*stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->failed(self->describe("no response from", ec));
                        self->received();
                      });
  }

  std::string describe(const std::string& what, beast::error_code ec) const {
    const std::string where = adapters::join_host_port(url_.host, url_.port);
    if (ec == beast::error::timeout)
      return "timed out after " + std::to_string(options_.timeout.count()) + " ms (" + what + " " +
             where + ")";
    return what + " " + where + ": " + ec.message();
  }

  void received() {
    auto& msg = parser_->get();
    result_.status = static_cast<int>(msg.result_int());
    result_.headers = Headers();
    for (const auto& field : msg)
      result_.headers.add(std::string(field.name_string()), std::string(field.value()));
    result_.body = std::move(msg.body());
    result_.error.clear();
    close_stream();
    if (retryable_status(result_.status) && result_.attempts < options_.max_attempts)
      return retry(parse_retry_after(result_.headers));
    finish();
  }

  void failed(std::string why) {
    close_stream();
    result_.status = 0;
    result_.headers = Headers();
    result_.body.clear();
    result_.error = std::move(why);
    if (result_.attempts < options_.max_attempts) return retry(std::nullopt);
    finish();
  }

  void retry(std::optional<milliseconds> retry_after) {
    backoff_timer_.expires_after(retry_delay(options_, result_.attempts, retry_after));
    backoff_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->attempt();
    });
  }

  void close_stream() {
    if (!stream_) return;
    beast::error_code ignored;
    stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_->close();
  }

  void finish() {
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(result_));
    }
  }

  asio::io_context& io_;
  Url url_;
  tcp::resolver resolver_;
  asio::steady_timer backoff_timer_;
  std::shared_ptr<asio::steady_timer> resolve_timer_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  ClientOptions options_;
  std::chrono::steady_clock::time_point deadline_;
  ClientResponse result_;
  std::function<void(ClientResponse)> done_;
};

}  // namespace

void async_request(asio::io_context& io, std::string method, std::string url, Headers headers,
                   std::string body, ClientOptions options,
                   std::function<void(ClientResponse)> done) {
  std::string why;
  auto parsed = parse_url(url, &why);
  if (!parsed) {
    ClientResponse r;
    r.error = why;
    asio::post(io, [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
    return;
  }
  if (options.max_attempts < 1) options.max_attempts = 1;
  std::make_shared<Call>(io, std::move(*parsed), std::move(method), std::move(headers),
                         std::move(body), options, std::move(done))
      ->attempt();
}

ClientResponse request(std::string method, std::string url, Headers headers, std::string body,
                       ClientOptions options) {
  asio::io_context io;
  ClientResponse out;
  async_request(io, std::move(method), std::move(url), std::move(headers), std::move(body), options,
                [&out](ClientResponse r) { out = std::move(r); });
  io.run();
  return out;
}

}  // namespace faultline::http
