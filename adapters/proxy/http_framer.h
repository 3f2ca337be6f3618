// Finds HTTP/1.1 message boundaries in one direction of a proxied connection, so the
// HTTP-aware toxics (http_error, http_latency) can act on whole requests and responses
// of an HTTP/1.1 upstream while every other toxic keeps seeing plain bytes.
//
// Every connection starts framing both directions; the first bytes that are not HTTP/1.x
// (a database protocol, TLS) switch framing off for that direction for good, and the
// bytes flow on untouched — so raw TCP pays one failed parse per connection. So does a
// tunnel (Upgrade, CONNECT, 101 Switching Protocols). A message head is held back until
// it is complete (at most kMaxHead bytes; a longer one switches framing off), so the
// chunk that starts a message always carries its whole head.
//
// Bodies: Content-Length, chunked transfer coding (with trailers), none (GET, 204, 304,
// 1xx, responses to HEAD), or until the connection closes (a response with neither).
// Responses learn the method and path of their request from the connection's
// HttpExchange, filled as requests are written to the upstream.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "adapters/proxy/chunk.h"

namespace faultline::proxy {

struct HttpRequestInfo {
  std::uint32_t message = Chunk::kNoMessage;  // request index on this connection
  std::string method;
  std::string path;    // target without the query
  bool close = false;  // the client asked to close after it
  int version_minor = 1;
};

// What the two directions of one connection share about its HTTP exchange.
class HttpExchange {
 public:
  // Requests answered by the proxy itself (http_error upstream): the server never sees them.
  std::uint32_t intercepted = 0;

  // Requests (by index) whose head the request framer parsed; kept for the last 256.
  void remember_request(HttpRequestInfo info);
  const HttpRequestInfo* request(std::uint32_t message) const;
  // The request `message` was written to the upstream: a response will follow.
  void forwarded(std::uint32_t message);
  // The next response's request (popped when a final response head is parsed).
  HttpRequestInfo next_response_request();
  // The request a response (by response index) answers.
  void bind_response(std::uint32_t response, HttpRequestInfo info);
  const HttpRequestInfo* response_request(std::uint32_t response) const;

 private:
  std::deque<HttpRequestInfo> requests_;
  std::deque<std::uint32_t> forwarded_;
  std::deque<std::pair<std::uint32_t, HttpRequestInfo>> responses_;
};

class HttpFramer {
 public:
  enum class Role { kRequests, kResponses };
  static constexpr std::size_t kMaxHead = 64 * 1024;

  HttpFramer(Role role, HttpExchange& exchange, BlockPool& pool)
      : role_(role), exchange_(exchange), pool_(pool) {}

  // Splits `chunk` at message boundaries and appends the tagged pieces to `out` (possibly
  // none, while a head is incomplete).
  void feed(Chunk chunk, std::vector<Chunk>& out);
  // The stream ended: whatever is held goes out, untagged.
  void finish(std::vector<Chunk>& out);
  bool framing() const { return state_ != State::kOff; }
  // Responses whose body has fully passed (the framer's count, for ordering injections).
  std::uint32_t messages_done() const { return done_; }
  // True between messages (nothing of a message pending).
  bool at_boundary() const { return state_ == State::kHead && head_.empty(); }

 private:
  enum class State {
    kHead,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailer,
    kUntilClose,
    kOff
  };

  // Parses the complete head in head_; sets up the body state. False: not HTTP.
  bool parse_head();
  void emit(std::string_view bytes, TimePoint stamp, bool start, std::vector<Chunk>& out);
  void switch_off(TimePoint stamp, std::vector<Chunk>& out);
  // Advances body parsing over `bytes`; returns how many belong to the current message.
  std::size_t advance_body(std::string_view bytes);
  void message_finished();

  Role role_;
  HttpExchange& exchange_;
  BlockPool& pool_;
  State state_ = State::kHead;
  std::string head_;  // an incomplete head, held back
  TimePoint head_stamp_{};
  std::uint64_t remaining_ = 0;  // body bytes (kBody) or chunk bytes (kChunkData)
  std::string line_;             // a chunk-size or trailer line being read
  std::uint32_t index_ = 0;      // the current message's index
  std::uint32_t done_ = 0;
  bool finished_final_ = false;  // the last message finished was not a 1xx
  bool tunnel_after_ = false;    // switch off after this message (Upgrade)
  bool interim_ = false;         // the current response is a 1xx
};

}  // namespace faultline::proxy
