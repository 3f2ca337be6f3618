// Test helpers for the adapters: an io_context on its own thread (the server side) and
// blocking raw sockets with receive timeouts (the client side), so every test over
// 127.0.0.1 is bounded in time and stops by itself even when the code under test hangs.
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

namespace faultline::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

// An io_context run by a background thread until stop(); post work to it with run_sync.
class IoThread {
 public:
  IoThread() : guard_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  asio::io_context& io() { return io_; }
  // Runs f on the io thread and waits for its result (bounded: 10 s).
  template <typename F>
  auto run_sync(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
      throw std::runtime_error("io thread did not answer within 10 s");
    return result.get();
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

// A blocking client socket whose reads give up after `timeout`.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{};
    tv.tv_sec = timeout.count() / 1000;
    tv.tv_usec = (timeout.count() % 1000) * 1000;
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  // Sends all of `bytes`; throws when the peer stops taking them for the timeout (asio's
  // own write would wait forever).
  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n =
          ::send(socket_.native_handle(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        throw std::runtime_error("send stalled or failed after " + std::to_string(sent) + " bytes");
      sent += static_cast<std::size_t>(n);
    }
  }
  // Reads what arrives until the peer closes, `want` bytes arrived, or the timeout.
  std::string receive(std::size_t want = std::string::npos) {
    std::string out;
    while (out.size() < want && read_once(out)) {
    }
    return out;
  }
  // Reads until `needle` appears `times` times (or close/timeout).
  std::string receive_until(const std::string& needle, int times = 1) {
    std::string out;
    while (count(out, needle) < times && read_once(out)) {
    }
    return out;
  }
  static int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
      ++n;
    return n;
  }
  bool closed() const { return closed_; }  // the last receive ended at the peer's FIN
  bool reset() const { return reset_; }    // ... or at a reset
  void shutdown_send() { socket_.shutdown(tcp::socket::shutdown_send); }
  tcp::socket& socket() { return socket_; }

 private:
  // One recv into `out`; false at the peer's close, a reset or the timeout.
  bool read_once(std::string& out) {
    char buf[65536];
    const ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = n == 0;
      reset_ = n < 0 && errno == ECONNRESET;
      return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  asio::io_context io_;
  tcp::socket socket_;
  bool closed_ = false;
  bool reset_ = false;
};

}  // namespace faultline::testing
