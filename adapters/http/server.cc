// Boost.Beast does the HTTP/1.1 parsing and serialising; this file adapts it to the plain
// Request/Response values and adds the limits, timeouts and draining of server.h.
#include "adapters/http/server.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <ctime>
#include <optional>
#include <unordered_set>

#include "adapters/common/address.h"
#include "adapters/http/form.h"

namespace faultline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string http_date() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

class Session;

}  // namespace

namespace detail {
struct ServerImpl : std::enable_shared_from_this<ServerImpl> {
  ServerImpl(asio::io_context& io_context, Router r, ServerOptions o)
      : io(io_context), router(std::move(r)), options(std::move(o)), acceptor(io_context) {}

  void accept();
  bool acceptor_full() const { return sessions.size() >= options.max_connections; }
  void session_gone(Session* session);
  void maybe_drained() {
    if (closing && sessions.empty() && on_drained) {
      auto done = std::move(on_drained);
      on_drained = nullptr;
      done();
    }
  }

  asio::io_context& io;
  Router router;
  ServerOptions options;
  tcp::acceptor acceptor;
  tcp::endpoint endpoint;
  bool accepting = false;  // an async_accept is pending
  bool closing = false;
  std::uint64_t accepted = 0;  // connections accepted so far
  std::unordered_set<Session*> sessions;
  std::function<void()> on_drained;
};
}  // namespace detail

using detail::ServerImpl;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerImpl> server)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), server_(std::move(server)) {
    server_->sessions.insert(this);
  }
  ~Session() { server_->session_gone(this); }

  void start() { read_head(); }

  // Called when the server closes: an idle connection goes now, a busy one after its
  // response.
  void close_if_idle() {
    if (!busy_) shut();
  }

 private:
  const ServerOptions& options() const { return server_->options; }

  void shut() {
    timer_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  // Our own deadline rather than beast::tcp_stream's, which closes the socket when it
  // fires: a request that stalls half-way deserves a 408 before the close.
  void arm(std::chrono::milliseconds limit) {
    timed_out_ = false;
    timer_.expires_after(limit);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void read_head() {
    if (server_->closing) return shut();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    // Waiting for a new request is idle time; once its first byte is here, the whole
    // request must arrive within the read timeout.
    if (buffer_.size() > 0) return read_head_now();
    arm(options().idle_timeout);
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->shut();  // idle too long, or closing
      self->read_head_now();
    });
  }

  void read_head_now() {
    arm(options().read_timeout);
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    busy_ = true;
    if (ec) return fail(ec);
    const auto expect = parser_->get()[bhttp::field::expect];
    if (iequals(std::string_view(expect.data(), expect.size()), "100-continue") &&
        !parser_->is_done()) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       parser_->get().version());
      bhttp::async_write(socket_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                           if (wec) return self->shut();
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->fail(ec);
                        self->timer_.cancel();
                        self->handle();
                      });
  }

  void fail(beast::error_code ec) {
    if (timed_out_) {
      // Quiet between requests: just close. Half a request: tell the client.
      if (!parser_->got_some() && buffer_.size() == 0) return shut();
      return send_error(408, "request not received in time", true);
    }
    timer_.cancel();
    if (ec == bhttp::error::header_limit)
      return send_error(
          431,
          "request header larger than " + std::to_string(options().max_header_bytes) + " bytes",
          true);
    if (ec == bhttp::error::body_limit)
      return send_error(
          413, "request body larger than " + std::to_string(options().max_body_bytes) + " bytes",
          true);
    // A client that closed between requests, or the server closing: nothing to answer.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category())
      return shut();
    send_error(400, "malformed request: " + ec.message(), true);
  }

  void send_error(int status, const std::string& message, bool close_after) {
    busy_ = true;
    write(server_->router.error(status, message), 11, close_after);
  }

  void handle() {
    const auto& msg = parser_->get();
    Request request;
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    const auto q = request.target.find('?');
    request.path = url_decode(std::string_view(request.target).substr(0, q));
    if (q != std::string::npos) request.query = request.target.substr(q + 1);
    request.version = msg.version();
    for (const auto& field : msg)
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(parser_->get().body());
    beast::error_code ec;
    const auto peer = socket_.remote_endpoint(ec);
    if (!ec) request.remote = adapters::to_string(peer);
    const bool keep_alive = msg.keep_alive();
    const unsigned version = msg.version();
    // No deadline while the handler works: an async handler may take its time.
    server_->router.dispatch(
        std::move(request), [self = shared_from_this(), keep_alive, version](Response response) {
          asio::post(self->socket_.get_executor(),
                     [self, keep_alive, version, response = std::move(response)]() mutable {
                       self->write(std::move(response), version, !keep_alive);
                     });
        });
  }

  void write(Response response, unsigned version, bool close_after) {
    close_after = close_after || server_->closing;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version);
    res->result(static_cast<unsigned>(response.status));
    res->reason(std::string(reason_phrase(response.status)));
    res->set(bhttp::field::date, http_date());
    if (!options().server_header.empty()) res->set(bhttp::field::server, options().server_header);
    for (const auto& [name, value] : response.headers.fields()) res->insert(name, value);
    res->body() = std::move(response.body);
    res->keep_alive(!close_after);
    res->prepare_payload();
    arm(options().read_timeout);  // a client that never reads its answer is let go
    bhttp::async_write(
        socket_, *res,
        [self = shared_from_this(), res, close_after](beast::error_code ec, std::size_t) {
          self->timer_.cancel();
          if (ec || close_after) return self->shut();
          self->read_head();
        });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<ServerImpl> server_;
  bool busy_ = false;  // a request is being read, handled or answered
  bool timed_out_ = false;
};

}  // namespace

void ServerImpl::accept() {
  if (closing || accepting || acceptor_full()) return;
  accepting = true;
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    self->accepting = false;
    if (self->closing) return;
    if (!ec) {
      ++self->accepted;
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), self)->start();
    }
    self->accept();
  });
}

void ServerImpl::session_gone(Session* session) {
  sessions.erase(session);
  accept();  // a slot is free again
  maybe_drained();
}

Server::Server(asio::io_context& io, Router router, ServerOptions options)
    : impl_(std::make_shared<ServerImpl>(io, std::move(router), std::move(options))) {}

Server::~Server() {
  impl_->on_drained = nullptr;
  close();
}

void Server::listen() {
  const auto& o = impl_->options;
  const std::string where = adapters::join_host_port(o.host, o.port);
  tcp::endpoint endpoint;
  try {
    endpoint = adapters::resolve_endpoint({o.host, o.port});
  } catch (const std::exception& e) {
    throw ListenError("cannot listen on " + where + ": " + e.what());
  }
  beast::error_code ec;
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw ListenError("cannot listen on " + where + ": " + ec.message() +
                      (ec == asio::error::address_in_use
                           ? " (another process holds this port; choose another with --port)"
                           : ""));
  }
  impl_->endpoint = acceptor.local_endpoint();
  impl_->closing = false;
  impl_->accept();
}

tcp::endpoint Server::local_endpoint() const {
  return impl_->endpoint;
}

void Server::close(std::function<void()> on_drained) {
  auto& impl = *impl_;
  impl.closing = true;
  if (on_drained) impl.on_drained = std::move(on_drained);
  beast::error_code ignored;
  impl.acceptor.close(ignored);
  // close_if_idle may destroy nothing synchronously (handlers hold the sessions), but copy
  // the set anyway: shutting a socket never re-enters it.
  for (Session* session : std::vector<Session*>(impl.sessions.begin(), impl.sessions.end()))
    session->close_if_idle();
  impl.maybe_drained();
}

std::size_t Server::open_connections() const {
  return impl_->sessions.size();
}

std::uint64_t Server::accepted_connections() const {
  return impl_->accepted;
}

}  // namespace faultline::http
