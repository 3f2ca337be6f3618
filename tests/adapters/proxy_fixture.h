// A proxy and an upstream on 127.0.0.1, both run by one background io thread, for the
// proxy's tests. The upstream echoes what it gets (and closes after echoing a line
// "QUIT"), counting connections and bytes; the test thread talks through the proxy with
// RawClient (loopback.h), whose reads all time out.
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/proxy/server.h"
#include "tests/adapters/loopback.h"

namespace faultline::testing {

class EchoUpstream {
 public:
  explicit EchoUpstream(asio::io_context& io)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }
  std::atomic<int> connections{0};
  std::atomic<std::size_t> bytes{0};
  bool echo = true;

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(tcp::socket s, EchoUpstream& up) : socket(std::move(s)), upstream(up) {}
    void read() {
      socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](
                                                    boost::system::error_code ec, std::size_t n) {
        if (ec) {
          boost::system::error_code ignored;
          self->socket.shutdown(tcp::socket::shutdown_send, ignored);
          return;
        }
        self->upstream.bytes += n;
        self->seen.append(self->buf.data(), n);
        const bool quit = self->seen.find("QUIT\n") != std::string::npos;
        if (!self->upstream.echo) return self->read();
        auto data = std::make_shared<std::string>(self->buf.data(), n);
        asio::async_write(self->socket, asio::buffer(*data),
                          [self, data, quit](boost::system::error_code wec, std::size_t) {
                            if (wec) return;
                            if (quit) {
                              boost::system::error_code ignored;
                              self->socket.shutdown(tcp::socket::shutdown_both, ignored);
                              self->socket.close(ignored);
                              return;
                            }
                            self->read();
                          });
      });
    }
    tcp::socket socket;
    EchoUpstream& upstream;
    std::array<char, 65536> buf{};
    std::string seen;
  };
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      ++connections;
      std::make_shared<Session>(std::move(s), *this)->read();
      accept();
    });
  }
  tcp::acceptor acceptor_;
};

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override { make_server(20260401); }
  void TearDown() override {
    io_.run_sync([&] {
      server_.reset();
      upstream_.reset();
      return 0;
    });
    io_.stop();
  }
  void make_server(std::uint64_t seed) {
    io_.run_sync([&] {
      server_.reset();
      proxy::ServerOptions o;
      o.api_port = 0;
      o.seed = seed;
      o.log = [](const std::string&) {};
      server_ = std::make_unique<proxy::ProxyServer>(io_.io(), o);
      server_->start();
      if (!upstream_) upstream_ = std::make_unique<EchoUpstream>(io_.io());
      return 0;
    });
  }
  // A proxy to the echo upstream; returns its port.
  std::uint16_t make_proxy(const std::string& name = "p", std::uint16_t upstream_port = 0) {
    return io_.run_sync([&] {
      const auto proxy = server_->proxies().create(
          {{"name", name},
           {"listen", "127.0.0.1:0"},
           {"upstream",
            "127.0.0.1:" + std::to_string(upstream_port ? upstream_port : upstream_->port())}});
      return proxy->listen_endpoint_port();
    });
  }
  nlohmann::ordered_json add_toxic(const std::string& proxy, const nlohmann::json& body) {
    return io_.run_sync([&] {
      auto p = server_->proxies().get(proxy);
      return server_->proxies().add_toxic(*p, body)->to_json();
    });
  }
  void remove_toxic(const std::string& proxy, const std::string& name) {
    io_.run_sync([&] {
      auto p = server_->proxies().get(proxy);
      server_->proxies().remove_toxic(*p, name);
      return 0;
    });
  }
  std::string api_url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(server_->api_endpoint().port()) + path;
  }

  IoThread io_;
  std::unique_ptr<proxy::ProxyServer> server_;
  std::unique_ptr<EchoUpstream> upstream_;
};

}  // namespace faultline::testing
