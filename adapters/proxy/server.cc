#include "adapters/proxy/server.h"

#include <sys/resource.h>

#include "adapters/common/address.h"
#include "adapters/proxy/api.h"

namespace faultline::proxy {

void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::uint64_t seed_from_clock() {
  return static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count() %
                                    1'000'000'000'000LL);
}

ProxyServer::ProxyServer(boost::asio::io_context& io, ServerOptions options)
    : io_(io),
      options_(std::move(options)),
      runtime_(std::make_shared<Runtime>(io, options_.seed, options_.limits, options_.log)),
      proxies_(runtime_),
      drain_timer_(io) {}

ProxyServer::~ProxyServer() {
  stop();
}

void ProxyServer::start() {
  if (!options_.api) return;
  http::ServerOptions o;
  o.host = options_.api_host;
  o.port = options_.api_port;
  // Toxiproxy's own limits: 15 s to read a request, 60 s idle.
  o.read_timeout = std::chrono::seconds(15);
  o.idle_timeout = std::chrono::seconds(60);
  if (!adapters::is_loopback_host(options_.api_host))
    runtime_->log("warning: the control API listens on " +
                  adapters::join_host_port(options_.api_host, options_.api_port) +
                  ", which is not loopback: anyone who can reach it can switch faults on");
  api_ = std::make_unique<http::Server>(io_, make_api_router(proxies_), o);
  api_->listen();
}

boost::asio::ip::tcp::endpoint ProxyServer::api_endpoint() const {
  return api_ ? api_->local_endpoint() : boost::asio::ip::tcp::endpoint();
}

void ProxyServer::handle_signals(std::function<void(int)> on_stop) {
  shutdown_ = std::make_unique<adapters::SignalShutdown>(
      io_,
      [this, on_stop = std::move(on_stop)](int signo) {
        if (on_stop) on_stop(signo);
        if (api_) {
          api_drained_ = false;
          api_->close([this] { api_drained_ = true; });
        }
        for (auto& [name, proxy] : proxies_.all()) proxy->close_listener();
        drain_step();
      },
      options_.drain_limit);
}

void ProxyServer::drain_step() {
  std::size_t open = 0;
  for (auto& [name, proxy] : proxies_.all()) open += proxy->open_connections();
  if (open == 0 && api_drained_) {
    drain_timer_.cancel();
    if (shutdown_) shutdown_->done();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) drain_step();
  });
}

void ProxyServer::stop() {
  drain_timer_.cancel();
  if (api_) api_->close();
  proxies_.stop_all();
  if (shutdown_) shutdown_->done();
}

}  // namespace faultline::proxy
