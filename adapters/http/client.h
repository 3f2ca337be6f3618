// A small HTTP/1.1 client for the adapters' outgoing calls — the SMS-vendor emulator's
// status callbacks above all: one request with a deadline, retried a bounded number of
// times with exponential back-off. http:// only (callbacks go to loopback or staging).
//
// An attempt fails, and is retried while attempts remain, when it cannot connect, times
// out (connect + send + receive must fit in `timeout`), is cut off, or is answered 408,
// 429, 500, 502, 503 or 504. The wait before attempt k+1 is backoff × multiplier^(k-1),
// at most max_backoff; a `Retry-After: <seconds>` answer lengthens it up to max_backoff.
// No jitter: the schedule is a pure function of the options, so runs replay exactly.
//
// async_request runs on the caller's io_context and calls `done` once on its thread;
// request() is the blocking form (its own io_context), for tests and simple tools. Both
// open a fresh connection per attempt and send `Connection: close`.
//
// ClientPool keeps connections alive (HTTP/1.1 keep-alive) and reuses them, per host:port,
// for callers that send many requests to the same receiver (the vendor emulator's status
// callbacks). Same attempts, deadlines, back-off, Retry-After, limits and error strings as
// async_request; only the connection handling differs:
//  - A connection goes back to the pool only when its response was read completely
//    (Content-Length or chunked, as parsed by Beast, nothing left over), the answer is
//    HTTP/1.1 (never HTTP/1.0, keep-alive or not) and does not say `Connection: close`;
//    otherwise it is closed.
//  - At most max_idle_per_host idle connections are kept per host:port (the oldest is
//    closed to make room); an idle one is closed after idle_timeout. The pool does not cap
//    concurrent requests: a request that finds no idle connection opens one (callers that
//    need a cap have one — the emulator's max_in_flight_per_host).
//  - Reused connections are taken most-recently-used first.
//  - A reused connection may have been closed by the server meanwhile (its keep-alive
//    timeout fired while our request was on the way — the race RFC 9112 §9.3.1 describes).
//    When a request on a reused connection fails before any byte of a response arrives
//    (not a timeout), it is sent once more on a fresh connection, within the same attempt
//    deadline and without counting as one of max_attempts. RFC 9112 allows automatic
//    retries of idempotent requests only; status callbacks are POSTs, so a receiver that
//    did process the first copy and then dropped the connection without answering sees the
//    callback twice. Twilio itself makes no exactly-once promise either: receivers
//    de-duplicate by (MessageSid, MessageStatus), and so the emulator relies on the same.
//    A caller whose requests must not repeat should use async_request.
// The pool runs on the caller's io_context (one thread; no locks). While connections are
// idle its sweep timer is pending, so io_context::run() does not return by itself before
// they time out: close() — also done by the destructor — closes the idle connections and
// cancels it; requests in flight finish, and their connections are then closed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/message.h"

namespace faultline::http {

struct ClientOptions {
  std::chrono::milliseconds timeout{5000};  // per attempt
  int max_attempts = 1;
  std::chrono::milliseconds backoff{250};
  double backoff_multiplier = 2.0;
  std::chrono::milliseconds max_backoff{10000};
  std::size_t max_response_bytes = 1024 * 1024;
};

struct ClientResponse {
  int status = 0;  // 0 when no response arrived
  Headers headers;
  std::string body;
  std::string error;  // why the last attempt failed; empty when a response arrived
  int attempts = 0;
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

struct Url {
  std::string host;
  std::uint16_t port = 80;
  std::string target;  // path and query, at least "/"
};
// Parses "http://host[:port][/path][?query]"; sets `why` and returns nothing otherwise.
std::optional<Url> parse_url(std::string_view url, std::string* why = nullptr);

// The wait before attempt `attempt + 1` (attempt counts from 1), per the rules above.
std::chrono::milliseconds retry_delay(const ClientOptions& options, int attempt,
                                      std::optional<std::chrono::milliseconds> retry_after);

void async_request(boost::asio::io_context& io, std::string method, std::string url,
                   Headers headers, std::string body, ClientOptions options,
                   std::function<void(ClientResponse)> done);

ClientResponse request(std::string method, std::string url, Headers headers = {},
                       std::string body = {}, ClientOptions options = {});

struct PoolOptions {
  std::size_t max_idle_per_host = 8;
  // Below the usual server keep-alive timeouts (Node's 5 s, nginx's 75 s), so that the pool
  // normally closes a connection before the server does.
  std::chrono::milliseconds idle_timeout{4000};
};

struct PoolStats {
  std::uint64_t connects = 0;       // fresh connections opened (attempted)
  std::uint64_t reuses = 0;         // requests sent on a pooled connection
  std::uint64_t stale_retries = 0;  // requests re-sent after a reused connection failed
  std::size_t idle = 0;             // idle connections now
};

namespace detail {
struct PoolImpl;
}

class ClientPool {
 public:
  explicit ClientPool(boost::asio::io_context& io, PoolOptions options = {});
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // As http::async_request, on a pooled connection when one is idle.
  void async_request(std::string method, std::string url, Headers headers, std::string body,
                     ClientOptions options, std::function<void(ClientResponse)> done);
  // Closes the idle connections; later requests are still answered, on connections that
  // are closed after use. Safe to call more than once.
  void close();
  PoolStats stats() const;

 private:
  std::shared_ptr<detail::PoolImpl> impl_;
};

// POST with a Content-Type, the callback's usual shape.
inline void async_post(boost::asio::io_context& io, std::string url, std::string content_type,
                       std::string body, ClientOptions options,
                       std::function<void(ClientResponse)> done) {
  Headers headers;
  headers.set("Content-Type", std::move(content_type));
  async_request(io, "POST", std::move(url), std::move(headers), std::move(body), options,
                std::move(done));
}

}  // namespace faultline::http
