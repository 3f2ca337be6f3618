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
// request() is the blocking form (its own io_context), for tests and simple tools.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
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
