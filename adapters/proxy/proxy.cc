#include "adapters/proxy/proxy.h"

#include <iostream>

#include "adapters/common/address.h"
#include "adapters/proxy/connection.h"
#include "adapters/proxy/link.h"

namespace faultline::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Runtime::Runtime(asio::io_context& io, std::uint64_t seed, Limits limits,
                 std::function<void(const std::string&)> log)
    : io_(io), seed_(seed), limits_(limits), log_(std::move(log)) {}

void Runtime::log(const std::string& line) const {
  if (log_)
    log_(line);
  else
    std::cerr << line << "\n";
}

void Runtime::bytes_released() {
  if (budget_waiters_.empty() || over_budget()) return;
  const auto waiters = std::vector<Link*>(budget_waiters_.begin(), budget_waiters_.end());
  budget_waiters_.clear();
  for (Link* link : waiters) link->budget_available();
}

void Runtime::connection_closed() {
  --open_connections_;
  if (slot_waiters_.empty() || connections_full()) return;
  auto waiters = std::move(slot_waiters_);
  slot_waiters_.clear();
  for (auto& weak : waiters)
    if (auto proxy = weak.lock()) proxy->accept();
}

Proxy::Proxy(std::shared_ptr<Runtime> runtime, std::string name, std::string listen,
             std::string upstream)
    : runtime_(std::move(runtime)), name_(std::move(name)) {
  set_addresses(listen, upstream);
}

Proxy::~Proxy() {
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
}

void Proxy::set_addresses(const std::string& listen, const std::string& upstream) {
  std::string why;
  // Toxiproxy's default listen address is every interface, port 0; ours is loopback.
  const std::string listen_text = listen.empty() ? "127.0.0.1:0" : listen;
  if (!adapters::parse_host_port(listen_text, &why))
    throw ApiError(400, "bad listen address '" + listen + "': " + why);
  if (!adapters::parse_host_port(upstream, &why))
    throw ApiError(400, "bad upstream address '" + upstream + "': " + why);
  listen_ = listen_text;
  upstream_ = upstream;
}

void Proxy::start() {
  if (enabled_) return;
  const auto address = adapters::parse_host_port(listen_);
  tcp::endpoint endpoint;
  try {
    endpoint = adapters::resolve_endpoint(*address);
  } catch (const std::exception& e) {
    throw ApiError(400, "bad listen address '" + listen_ + "': " + e.what());
  }
  // Before binding: the warning is about what was asked for ("" = every interface).
  if (!adapters::is_loopback_host(address->host))
    runtime_->log("warning: proxy " + name_ + " listens on " + listen_ +
                  ", which is not loopback: anyone who can reach it passes through its faults");
  acceptor_.emplace(runtime_->io());
  boost::system::error_code ec;
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    // Toxiproxy answers 500 with Go's text; the error names the address all the same.
    throw ApiError(ec == asio::error::address_in_use ? 409 : 400,
                   "listen tcp " + adapters::to_string(endpoint) + ": bind: " + ec.message());
  }
  listen_ = adapters::to_string(acceptor_->local_endpoint());
  enabled_ = true;
  accept();
}

void Proxy::accept() {
  if (!enabled_ || accepting_ || !acceptor_) return;
  if (runtime_->connections_full()) {
    runtime_->wait_for_slot(weak_from_this());
    return;  // the kernel's backlog holds new clients until a slot frees
  }
  accepting_ = true;
  acceptor_->async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                      tcp::socket socket) {
    self->accepting_ = false;
    if (!self->enabled_) return;
    if (!ec) {
      ++self->stats_.connections_total;
      auto connection =
          std::make_shared<Connection>(self, std::move(socket), self->next_connection_id_++);
      self->connections_.insert(connection);
      connection->start();
    } else if (ec == asio::error::no_descriptors) {
      self->runtime_->log("proxy " + self->name_ + ": out of file descriptors; raise ulimit -n");
    }
    self->accept();
  });
}

void Proxy::stop() {
  if (!enabled_) return;
  enabled_ = false;
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  acceptor_.reset();
  // Let go of them now rather than when their (posted) endings run: a connection holds
  // its proxy, so a set that outlived a stopped event loop would keep both alive forever.
  const auto connections = std::move(connections_);
  connections_.clear();
  for (const auto& connection : connections) connection->abort();
}

void Proxy::close_listener() {
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  acceptor_.reset();
}

void Proxy::connection_ended(const std::shared_ptr<Connection>& connection) {
  connections_.erase(connection);
}

std::vector<std::shared_ptr<const ToxicConfig>> Proxy::toxics() const {
  std::vector<std::shared_ptr<const ToxicConfig>> all(chain_[0]);
  all.insert(all.end(), chain_[1].begin(), chain_[1].end());
  return all;
}

std::shared_ptr<const ToxicConfig> Proxy::find_toxic(const std::string& name) const {
  for (const auto& chain : chain_)
    for (const auto& toxic : chain)
      if (toxic->name == name) return toxic;
  return nullptr;
}

void Proxy::add_toxic(std::shared_ptr<const ToxicConfig> toxic) {
  chain_[static_cast<int>(toxic->stream)].push_back(toxic);
  for (const auto& connection : connections_)
    if (Link* link = connection->link(toxic->stream)) link->add_toxic(toxic);
}

void Proxy::update_toxic(std::shared_ptr<const ToxicConfig> toxic) {
  for (auto& slot : chain_[static_cast<int>(toxic->stream)])
    if (slot->name == toxic->name) slot = toxic;
  for (const auto& connection : connections_)
    if (Link* link = connection->link(toxic->stream)) link->update_toxic(toxic);
}

void Proxy::remove_toxic(const std::string& name) {
  const auto toxic = find_toxic(name);
  if (!toxic) return;
  auto& chain = chain_[static_cast<int>(toxic->stream)];
  std::erase_if(chain, [&](const auto& t) { return t->name == name; });
  for (const auto& connection : std::vector(connections_.begin(), connections_.end()))
    if (Link* link = connection->link(toxic->stream)) link->remove_toxic(name);
}

void Proxy::remove_all_toxics() {
  for (const auto& toxic : toxics()) remove_toxic(toxic->name);
}

nlohmann::ordered_json Proxy::to_json() const {
  nlohmann::ordered_json j;
  j["name"] = name_;
  j["listen"] = listen_;
  j["upstream"] = upstream_;
  j["enabled"] = enabled_;
  j["toxics"] = nlohmann::ordered_json::array();
  for (const auto& toxic : toxics()) j["toxics"].push_back(toxic->to_json());
  return j;
}

}  // namespace faultline::proxy
