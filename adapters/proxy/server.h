// A running `faultline proxy`: the shared Runtime, the proxies, the control API on its
// HTTP server, and the signal handling — what both `faultline proxy` and `faultline
// inject` start. Runs on the caller's io_context (one thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/common/shutdown.h"
#include "adapters/http/server.h"
#include "adapters/proxy/proxy_set.h"

namespace faultline::proxy {

struct ServerOptions {
  std::string api_host = "127.0.0.1";
  std::uint16_t api_port = 8474;
  bool api = true;  // inject may run without the control API
  std::uint64_t seed = 0;
  Limits limits;
  std::chrono::milliseconds drain_limit{3000};
  std::function<void(const std::string&)> log;  // default: stderr
};

// Raises the soft limit on open files to the hard one (1,000 connections = 2,000 sockets).
void raise_descriptor_limit();
// A seed for when none is given: from the clock, to be printed so the run can be replayed.
std::uint64_t seed_from_clock();

class ProxyServer {
 public:
  ProxyServer(boost::asio::io_context& io, ServerOptions options);
  ~ProxyServer();

  // Binds the API (throws http::ListenError naming the address).
  void start();
  ProxySet& proxies() { return proxies_; }
  Runtime& runtime() { return *runtime_; }
  boost::asio::ip::tcp::endpoint api_endpoint() const;
  // SIGINT/SIGTERM: close the listeners, let connections finish (bounded), then stop.
  // `on_stop` runs first (inject writes its last log line there).
  void handle_signals(std::function<void(int signo)> on_stop = {});
  int exit_code() const { return shutdown_ ? shutdown_->exit_code() : 0; }
  // Closes everything at once (tests, and inject when its schedule is over).
  void stop();

 private:
  void drain_step();

  boost::asio::io_context& io_;
  ServerOptions options_;
  std::shared_ptr<Runtime> runtime_;
  ProxySet proxies_;
  std::unique_ptr<http::Server> api_;
  std::unique_ptr<adapters::SignalShutdown> shutdown_;
  boost::asio::steady_timer drain_timer_;
  bool api_drained_ = true;
};

}  // namespace faultline::proxy
