// A proxy: a listener that accepts clients, dials the upstream for each, and applies its
// toxics to every connection (Toxiproxy's Proxy + ToxicCollection). Its JSON is the
// control API's (`name`, `listen`, `upstream`, `enabled`, `toxics`). Proxies live in a
// ProxySet (proxy_set.h) and share one Runtime: the event loop, the block pool, the run
// seed and the caps that keep memory bounded.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "adapters/proxy/chunk.h"
#include "adapters/proxy/toxic.h"

namespace faultline::proxy {

class Connection;
class Link;

// An error the control API reports as {"error": message, "status": status}.
struct ApiError : std::runtime_error {
  ApiError(int status_code, const std::string& message)
      : std::runtime_error(message), status(status_code) {}
  int status;
};

struct Limits {
  std::size_t max_connections = 10000;                 // open at once, all proxies
  std::size_t link_buffer_bytes = 256 * 1024;          // held per direction of a connection
  std::size_t total_buffer_bytes = 256 * 1024 * 1024;  // held by the whole process
  std::chrono::milliseconds connect_timeout{10000};    // dialling the upstream
};

// What every proxy of a process shares. Runs on one io_context thread.
class Runtime {
 public:
  Runtime(boost::asio::io_context& io, std::uint64_t seed, Limits limits = {},
          std::function<void(const std::string&)> log = {});
  boost::asio::io_context& io() { return io_; }
  BlockPool& pool() { return pool_; }
  std::uint64_t seed() const { return seed_; }
  const Limits& limits() const { return limits_; }
  void log(const std::string& line) const;

  // Process-wide buffering (Account::total points here).
  std::size_t* total_held() { return &total_held_; }
  bool over_budget() const { return total_held_ >= limits_.total_buffer_bytes; }
  void wait_for_budget(Link* link) { budget_waiters_.insert(link); }
  void forget_link(Link* link) { budget_waiters_.erase(link); }
  void bytes_released();

  // The connection cap: proxies stop accepting at it and resume below it.
  bool connections_full() const { return open_connections_ >= limits_.max_connections; }
  void connection_opened() { ++open_connections_; }
  void connection_closed();
  void wait_for_slot(std::weak_ptr<class Proxy> proxy) {
    slot_waiters_.push_back(std::move(proxy));
  }
  std::size_t open_connections() const { return open_connections_; }

 private:
  boost::asio::io_context& io_;
  BlockPool pool_;
  std::uint64_t seed_;
  Limits limits_;
  std::function<void(const std::string&)> log_;
  std::size_t total_held_ = 0;
  std::unordered_set<Link*> budget_waiters_;
  std::size_t open_connections_ = 0;
  std::vector<std::weak_ptr<class Proxy>> slot_waiters_;
};

// Counters for /metrics. Monotonic for the life of the proxy.
struct ProxyStats {
  std::uint64_t connections_total = 0;
  std::uint64_t upstream_failures_total = 0;  // clients closed because the upstream refused
  std::uint64_t received_bytes[2] = {0, 0};   // by Stream
  std::uint64_t sent_bytes[2] = {0, 0};
  std::map<std::string, std::pair<std::string, std::uint64_t>> activations;  // name → (type, n)
};

class Proxy : public std::enable_shared_from_this<Proxy> {
 public:
  // Connections keep the runtime (its pool holds their bytes) alive until they end.
  Proxy(std::shared_ptr<Runtime> runtime, std::string name, std::string listen,
        std::string upstream);
  ~Proxy();

  const std::string& name() const { return name_; }
  const std::string& listen() const { return listen_; }
  const std::string& upstream() const { return upstream_; }
  bool enabled() const { return enabled_; }
  // The port the proxy listens on (0 when disabled).
  std::uint16_t listen_endpoint_port() const {
    return acceptor_ ? acceptor_->local_endpoint().port() : 0;
  }

  // Starts listening (a no-op when enabled). Throws ApiError naming the address: 400 for a
  // bad address, 409 when the port is in use.
  void start();
  // Stops listening and aborts every connection (a no-op when disabled).
  void stop();
  // Stops accepting; open connections carry on (shutdown's drain).
  void close_listener();
  // New addresses; the caller stops and restarts. Throws ApiError(400) on a bad address.
  void set_addresses(const std::string& listen, const std::string& upstream);

  // Toxics, in Toxiproxy's order: upstream ones, then downstream ones, each in the order
  // they were added.
  std::vector<std::shared_ptr<const ToxicConfig>> toxics() const;
  std::shared_ptr<const ToxicConfig> find_toxic(const std::string& name) const;
  void add_toxic(std::shared_ptr<const ToxicConfig> toxic);
  void update_toxic(std::shared_ptr<const ToxicConfig> toxic);
  void remove_toxic(const std::string& name);
  void remove_all_toxics();
  const std::vector<std::shared_ptr<const ToxicConfig>>& chain(Stream stream) const {
    return chain_[static_cast<int>(stream)];
  }

  nlohmann::ordered_json to_json() const;
  ProxyStats& stats() { return stats_; }
  Runtime& runtime() { return *runtime_; }
  std::size_t open_connections() const { return connections_.size(); }

  // --- used by connections ---
  void connection_ended(const std::shared_ptr<Connection>& connection);
  void accept();  // (re)arms the accept loop; also called when a connection slot frees

 private:
  std::shared_ptr<Runtime> runtime_;
  std::string name_, listen_, upstream_;
  bool enabled_ = false;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  bool accepting_ = false;
  std::uint64_t next_connection_id_ = 0;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  std::vector<std::shared_ptr<const ToxicConfig>> chain_[2];
  ProxyStats stats_;
};

}  // namespace faultline::proxy
