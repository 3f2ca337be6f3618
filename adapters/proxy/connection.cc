#include "adapters/proxy/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>

#include "adapters/common/address.h"
#include "adapters/proxy/proxy.h"

namespace faultline::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Connection::Connection(std::shared_ptr<Proxy> proxy, tcp::socket client, std::uint64_t id)
    : proxy_(std::move(proxy)),
      id_(id),
      client_(std::move(client)),
      upstream_(proxy_->runtime().io()),
      resolver_(proxy_->runtime().io()),
      connect_timer_(proxy_->runtime().io()) {
  proxy_->runtime().connection_opened();
}

Connection::~Connection() {
  // Links first: their chunks release into accounts the runtime still counts.
  up_.reset();
  down_.reset();
  proxy_->runtime().connection_closed();
}

Runtime& Connection::runtime() {
  return proxy_->runtime();
}

Link* Connection::link(Stream stream) {
  auto& l = stream == Stream::kUpstream ? up_ : down_;
  return l ? &*l : nullptr;
}

void Connection::start() {
  const auto target = adapters::parse_host_port(proxy_->upstream());
  if (!target) return abort();  // validated when the proxy was made; defensive
  auto self = shared_from_this();
  connect_timer_.expires_after(runtime().limits().connect_timeout);
  connect_timer_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->closed_ || self->up_) return;
    boost::system::error_code ignored;
    self->resolver_.cancel();
    self->upstream_.close(ignored);
  });
  resolver_.async_resolve(
      target->host, std::to_string(target->port), tcp::resolver::numeric_service,
      [self](const boost::system::error_code& ec, tcp::resolver::results_type results) {
        if (self->closed_) return;
        if (ec) {
          ++self->proxy_->stats().upstream_failures_total;
          self->runtime().log("proxy " + self->proxy_->name() + ": cannot resolve upstream " +
                              self->proxy_->upstream() + ": " + ec.message());
          return self->abort();
        }
        asio::async_connect(self->upstream_, results,
                            [self](const boost::system::error_code& cec, const tcp::endpoint&) {
                              if (self->closed_) return;
                              if (cec) {
                                ++self->proxy_->stats().upstream_failures_total;
                                self->runtime().log("proxy " + self->proxy_->name() +
                                                    ": cannot connect to upstream " +
                                                    self->proxy_->upstream() + ": " +
                                                    cec.message());
                                return self->abort();
                              }
                              self->connected();
                            });
      });
}

void Connection::connected() {
  connect_timer_.cancel();
  boost::system::error_code ignored;
  for (tcp::socket* s : {&client_, &upstream_}) {
    s->set_option(tcp::no_delay(true), ignored);
    s->non_blocking(true, ignored);
  }
  up_.emplace(*this, Stream::kUpstream, client_, upstream_);
  down_.emplace(*this, Stream::kDownstream, upstream_, client_);
  for (const auto& toxic : proxy_->chain(Stream::kUpstream)) up_->add_toxic(toxic);
  for (const auto& toxic : proxy_->chain(Stream::kDownstream)) down_->add_toxic(toxic);
  up_->start();
  down_->start();
}

void Connection::abort() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  connect_timer_.cancel();
  resolver_.cancel();
  client_.close(ignored);
  upstream_.close(ignored);
  finish();
}

void Connection::reset() {
  if (closed_) return;
  // SO_LINGER with a zero timeout: close() sends RST and drops unsent data — what a peer
  // that crashed or a middlebox that gave up looks like ("connection reset by peer").
  boost::system::error_code ignored;
  for (tcp::socket* s : {&client_, &upstream_})
    if (s->is_open()) s->set_option(asio::socket_base::linger(true, 0), ignored);
  abort();
}

void Connection::close_gracefully(Link& link, std::size_t index) {
  if (closed_) return;
  link.end_after(index);
  Link* other = &link == &*up_ ? &*down_ : &*up_;
  if (!other->finished()) other->end_after(static_cast<std::size_t>(-1));  // EOF at its start
}

void Connection::link_finished() {
  if (up_ && down_ && up_->finished() && down_->finished()) {
    boost::system::error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
    closed_ = true;
    finish();
  }
}

void Connection::finish() {
  // Deferred: the caller may be deep inside a link or a stage of this connection.
  asio::post(runtime().io(), [self = shared_from_this()] { self->proxy_->connection_ended(self); });
}

void Connection::inject_response(std::string bytes, std::uint32_t after, bool close) {
  injections_.push_back({std::move(bytes), after, close});
  flush_injections();
}

void Connection::response_finished() {
  ++responses_finished_;
  flush_injections();
}

void Connection::flush_injections() {
  while (!injections_.empty() && !closed_ && down_) {
    Injection& next = injections_.front();
    if (next.after > responses_finished_ || down_->framing_mid_message()) return;
    Chunk chunk(runtime().pool(), next.bytes, Clock::now());
    chunk.set_account(&down_->account());
    const bool close = next.close;
    injections_.pop_front();
    down_->deliver(0, std::move(chunk));
    if (close) close_gracefully(*down_, static_cast<std::size_t>(-1));
  }
}

}  // namespace faultline::proxy
