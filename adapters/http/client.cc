// The client's attempt loop: resolve → connect → write → read, all under one deadline per
// attempt (beast::tcp_stream's expiry, re-armed with the time left before each step), and
// a steady_timer for the back-off between attempts. With a pool (ClientPool), an attempt
// starts at write on an idle connection when there is one, and a completely read response
// hands its connection back.
#include "adapters/http/client.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
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

using Stream = std::unique_ptr<beast::tcp_stream>;

void shut(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

}  // namespace

namespace detail {

// The idle connections, per "host:port", oldest first.
struct PoolImpl : std::enable_shared_from_this<PoolImpl> {
  using Clock = std::chrono::steady_clock;
  struct Idle {
    Stream stream;
    Clock::time_point since;
  };

  PoolImpl(asio::io_context& io_context, PoolOptions o)
      : io(io_context), options(o), sweep(io_context) {}

  // The most recently used idle connection to `key` that is still young enough; null if none.
  Stream take(const std::string& key) {
    const auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    const Clock::time_point now = Clock::now();
    Stream out;
    auto& queue = it->second;
    while (!queue.empty() && !out) {
      Idle c = std::move(queue.back());
      queue.pop_back();
      if (now - c.since < options.idle_timeout && c.stream->socket().is_open())
        out = std::move(c.stream);
      else
        shut(*c.stream);
    }
    if (queue.empty()) idle.erase(it);
    if (out) ++stats.reuses;
    return out;
  }

  // Keeps a connection whose response was read completely (or closes it: pool closed, full).
  void give(const std::string& key, Stream stream) {
    if (closed || options.max_idle_per_host == 0) return shut(*stream);
    auto& queue = idle[key];
    if (queue.size() >= options.max_idle_per_host) {
      shut(*queue.front().stream);
      queue.pop_front();
    }
    stream->expires_never();
    queue.push_back({std::move(stream), Clock::now()});
    arm();
  }

  // The sweep timer runs while connections are idle, for the oldest one's idle timeout.
  void arm() {
    if (armed || closed || idle.empty()) return;
    Clock::time_point first = Clock::time_point::max();
    for (const auto& [key, queue] : idle) first = std::min(first, queue.front().since);
    armed = true;
    sweep.expires_at(first + options.idle_timeout);
    sweep.async_wait([self = shared_from_this()](beast::error_code ec) {
      self->armed = false;
      if (ec || self->closed) return;
      self->expire();
      self->arm();
    });
  }

  void expire() {
    const Clock::time_point now = Clock::now();
    for (auto it = idle.begin(); it != idle.end();) {
      auto& queue = it->second;
      while (!queue.empty() && now - queue.front().since >= options.idle_timeout) {
        shut(*queue.front().stream);
        queue.pop_front();
      }
      it = queue.empty() ? idle.erase(it) : std::next(it);
    }
  }

  void close() {
    closed = true;
    sweep.cancel();
    for (auto& [key, queue] : idle)
      for (Idle& c : queue) shut(*c.stream);
    idle.clear();
  }

  asio::io_context& io;
  PoolOptions options;
  asio::steady_timer sweep;
  bool armed = false;
  bool closed = false;
  std::map<std::string, std::deque<Idle>> idle;
  PoolStats stats;
};

}  // namespace detail

namespace {

// One request: its attempts, on fresh connections (pool_ null: async_request) or on the
// pool's (ClientPool).
class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(asio::io_context& io, std::shared_ptr<detail::PoolImpl> pool, Url url, std::string method,
       Headers headers, std::string body, ClientOptions options,
       std::function<void(ClientResponse)> done)
      : io_(io),
        pool_(std::move(pool)),
        url_(std::move(url)),
        key_(adapters::join_host_port(url_.host, url_.port)),
        resolver_(io),
        backoff_timer_(io),
        options_(options),
        done_(std::move(done)) {
    request_.method_string(method);
    request_.target(url_.target);
    request_.version(11);
    request_.set(bhttp::field::host, key_);
    request_.set(bhttp::field::user_agent, "faultline");
    for (const auto& [name, value] : headers.fields()) request_.set(name, value);
    request_.body() = std::move(body);
    request_.keep_alive(pool_ != nullptr);
    request_.prepare_payload();
  }

  void attempt() {
    ++result_.attempts;
    deadline_ = std::chrono::steady_clock::now() + options_.timeout;
    if (pool_) {
      if (Stream pooled = pool_->take(key_)) {
        stream_ = std::move(pooled);
        reused_ = true;
        return send();
      }
    }
    connect();
  }

 private:
  void reset_parser() {
    parser_.emplace();
    parser_->body_limit(options_.max_response_bytes);
    buffer_.clear();
  }

  // A fresh connection: resolve and connect within the attempt's deadline, then send.
  void connect() {
    reused_ = false;
    if (pool_) ++pool_->stats.connects;
    stream_ = std::make_unique<beast::tcp_stream>(io_);
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
                self->send();
              });
        });
  }

  void send() {
    reset_parser();
    stream_->expires_at(deadline_);
    bhttp::async_write(*stream_, request_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->io_failed("cannot send to", ec);
                         self->read();
                       });
  }

  // The head first, then the body: Boost 1.74's async_read skips the Content-Length check
  // against body_limit when it parses head and body in one go (eager), so an oversized
  // response would be read whole; async_read_header stops at the head and checks it.
  void read() {
    stream_->expires_at(deadline_);
    bhttp::async_read_header(*stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->io_failed("no response from", ec);
                               bhttp::async_read(*self->stream_, self->buffer_, *self->parser_,
                                                 [self](beast::error_code bec, std::size_t) {
                                                   if (bec)
                                                     return self->io_failed("no response from",
                                                                            bec);
                                                   self->received();
                                                 });
                             });
  }

  // A send or receive error. On a reused connection with no response byte yet (and not a
  // timeout) the server most likely closed it while idle: send again, once, on a fresh
  // connection within the same attempt (see client.h for why this is acceptable).
  void io_failed(const std::string& what, beast::error_code ec) {
    if (reused_ && ec != beast::error::timeout && !parser_->got_some() && buffer_.size() == 0) {
      close_stream();
      ++pool_->stats.stale_retries;
      return connect();
    }
    failed(describe(what, ec));
  }

  std::string describe(const std::string& what, beast::error_code ec) const {
    if (ec == beast::error::timeout)
      return "timed out after " + std::to_string(options_.timeout.count()) + " ms (" + what + " " +
             key_ + ")";
    return what + " " + key_ + ": " + ec.message();
  }

  void received() {
    auto& msg = parser_->get();
    // Reusable only when the response was read exactly to its end (Content-Length or
    // chunked, nothing extra buffered) and the server keeps the connection: HTTP/1.1
    // without `Connection: close` (an HTTP/1.0 answer is never reused, even with
    // `Connection: keep-alive`).
    const bool reusable = pool_ && msg.version() == 11 && msg.keep_alive() && parser_->is_done() &&
                          !parser_->need_eof() && buffer_.size() == 0;
    result_.status = static_cast<int>(msg.result_int());
    result_.headers = Headers();
    for (const auto& field : msg)
      result_.headers.add(std::string(field.name_string()), std::string(field.value()));
    result_.body = std::move(msg.body());
    result_.error.clear();
    if (reusable)
      pool_->give(key_, std::move(stream_));
    else
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
    shut(*stream_);
    stream_.reset();
  }

  void finish() {
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(result_));
    }
  }

  asio::io_context& io_;
  std::shared_ptr<detail::PoolImpl> pool_;
  Url url_;
  std::string key_;  // host:port
  tcp::resolver resolver_;
  asio::steady_timer backoff_timer_;
  std::shared_ptr<asio::steady_timer> resolve_timer_;
  Stream stream_;
  bool reused_ = false;  // stream_ came from the pool
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  ClientOptions options_;
  std::chrono::steady_clock::time_point deadline_;
  ClientResponse result_;
  std::function<void(ClientResponse)> done_;
};

void start_call(asio::io_context& io, std::shared_ptr<detail::PoolImpl> pool, std::string method,
                std::string url, Headers headers, std::string body, ClientOptions options,
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
  std::make_shared<Call>(io, std::move(pool), std::move(*parsed), std::move(method),
                         std::move(headers), std::move(body), options, std::move(done))
      ->attempt();
}

}  // namespace

void async_request(asio::io_context& io, std::string method, std::string url, Headers headers,
                   std::string body, ClientOptions options,
                   std::function<void(ClientResponse)> done) {
  start_call(io, nullptr, std::move(method), std::move(url), std::move(headers), std::move(body),
             options, std::move(done));
}

ClientPool::ClientPool(asio::io_context& io, PoolOptions options)
    : impl_(std::make_shared<detail::PoolImpl>(io, options)) {}

ClientPool::~ClientPool() {
  impl_->close();
}

void ClientPool::async_request(std::string method, std::string url, Headers headers,
                               std::string body, ClientOptions options,
                               std::function<void(ClientResponse)> done) {
  start_call(impl_->io, impl_, std::move(method), std::move(url), std::move(headers),
             std::move(body), options, std::move(done));
}

void ClientPool::close() {
  impl_->close();
}

PoolStats ClientPool::stats() const {
  PoolStats s = impl_->stats;
  s.idle = 0;
  for (const auto& [key, queue] : impl_->idle) s.idle += queue.size();
  return s;
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
