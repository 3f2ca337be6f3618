// A small HTTP/1.1 server on Boost.Asio for the adapters' control and emulation APIs (the
// Toxiproxy-compatible API of `faultline proxy`, the Twilio-style API of the SMS-vendor
// emulator). Parsing is Boost.Beast's, kept inside server.cc; what users see is Request,
// Response and Router (message.h, router.h).
//
// What it guarantees:
// - binds 127.0.0.1 unless Options::host says otherwise; listen() throws ListenError
//   naming the address and the reason ("127.0.0.1:8474: address already in use");
// - limits: request head (request line + headers) <= max_header_bytes, else 431; body
//   <= max_body_bytes, else 413; a malformed request gets 400 and the connection closes;
//   a client that stalls mid-request for read_timeout gets 408; at most max_connections
//   at once (further clients wait in the kernel's backlog until one closes);
// - keep-alive per HTTP/1.1 (and HTTP/1.0 with Connection: keep-alive), idle connections
//   closed after idle_timeout; `Expect: 100-continue` answered;
// - close(): stops accepting, closes idle connections, lets requests in flight get their
//   response (with Connection: close), then closes them; `on_drained` tells when none is
//   left, so a SIGTERM handler can exit only after every response went out.
//
// Threading: everything runs on the io_context given to the constructor; run that
// io_context on one thread (handlers then need no locks).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "adapters/http/router.h"

namespace faultline::http {

// The server could not listen: the message names the address and the reason.
namespace detail {
struct ServerImpl;
}

struct ListenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // "" or "0.0.0.0" binds every interface: think twice
  std::uint16_t port = 0;          // 0 picks a free port; see Server::local_endpoint()
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_connections = 512;
  std::chrono::milliseconds read_timeout{15000};  // a request must arrive whole within this
  std::chrono::milliseconds idle_timeout{60000};  // between requests on a kept-alive connection
  std::string server_header;                      // "Server:" value; empty sends none
};

class Server {
 public:
  Server(boost::asio::io_context& io, Router router, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Throws ListenError.
  void listen();
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting and drains (see above); `on_drained` runs once no connection is left
  // (at once if none is open). Safe to call more than once.
  void close(std::function<void()> on_drained = {});
  std::size_t open_connections() const;
  // Connections accepted since listen() (tests use it to see connection reuse).
  std::uint64_t accepted_connections() const;

 private:
  std::shared_ptr<detail::ServerImpl> impl_;
};

}  // namespace faultline::http
