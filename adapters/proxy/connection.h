// One client connection through a proxy: the client's socket, the upstream socket the
// proxy dialled for it, and the two links between them (upstream: client → server,
// downstream: server → client). Connections are numbered per proxy in accept order
// (0, 1, 2, ...): that number keys every random draw a toxic makes for it, so with the
// same seed and the same order of connections the same connections are hit.
//
// Ending: when both links have sent their FIN the sockets close; a toxic may end it
// early (close_gracefully: like a FIN, after flushing what follows the toxic), reset it
// (RST), and disabling or deleting the proxy aborts it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "adapters/proxy/http_framer.h"
#include "adapters/proxy/link.h"

namespace faultline::proxy {

class Proxy;
class Runtime;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Proxy> proxy, boost::asio::ip::tcp::socket client, std::uint64_t id);
  ~Connection();

  // Dials the upstream; on success starts both links, else closes the client.
  void start();
  // Closes both sockets now (the proxy is disabled or deleted, or a write failed).
  void abort();
  // A TCP reset on both sides (reset_peer).
  void reset();
  // A toxic on `link` at stage `index` ends the connection like a FIN.
  void close_gracefully(Link& link, std::size_t index);
  void link_finished();

  // An HTTP response made by the proxy (http_error), to go to the client after the
  // upstream's first `after_responses` responses; `close` ends the connection after it.
  void inject_response(std::string bytes, std::uint32_t after_responses, bool close);
  // The downstream link delivered the end of a final response.
  void response_finished();
  std::uint32_t responses_finished() const { return responses_finished_; }

  Link* link(Stream stream);
  HttpExchange& http() { return http_; }
  Proxy& proxy() { return *proxy_; }
  Runtime& runtime();
  std::uint64_t id() const { return id_; }
  bool closed() const { return closed_; }

 private:
  void connected();
  void finish();
  void flush_injections();

  std::shared_ptr<Proxy> proxy_;
  std::uint64_t id_;
  boost::asio::ip::tcp::socket client_;
  boost::asio::ip::tcp::socket upstream_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  HttpExchange http_;
  std::optional<Link> up_;    // client → upstream
  std::optional<Link> down_;  // upstream → client
  struct Injection {
    std::string bytes;
    std::uint32_t after;
    bool close;
  };
  std::deque<Injection> injections_;
  std::uint32_t responses_finished_ = 0;
  bool closed_ = false;
};

}  // namespace faultline::proxy
