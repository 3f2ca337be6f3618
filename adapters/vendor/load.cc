// vendor_load: the load generator of the SMS-vendor emulator's benchmark
// (scripts/bench-vendor.sh, docs/performance.md). It keeps `connections` HTTP/1.1
// keep-alive connections busy with POST .../Messages.json (closed loop: the next request
// when the answer comes), each message with a StatusCallback to a sink served on the same
// event loop, and samples the emulator's resident memory every second. Output: one JSON
// object with accepted/s, 429s, latency quantiles, callbacks received and peak RSS.
//   vendor_load --port P --account AC... --token T [--connections 32] [--seconds 20]
//               [--sink ok|hang] [--pid PID] [--rate R]
// --rate R: open loop at R requests/s (0, the default: closed loop, as fast as answered).
// --sink hang accepts callbacks and never answers: every callback then waits out the
// emulator's timeout and retries, the overload that must end in 429s, not memory growth.
#include <algorithm>
#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/form.h"
#include "adapters/http/server.h"
#include "sim/util/sha1.h"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
  std::uint64_t sent = 0, accepted = 0, throttled = 0, other = 0, errors = 0, callbacks = 0;
  std::vector<double> latency_ms;
  // Open loop (--rate): requests go out at fixed slots, whoever's connection is free.
  double rate = 0;
  Clock::time_point next_slot{};
};

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, tcp::endpoint ep, std::string head, const std::string& callback,
             Stats& stats, Clock::time_point end, int id)
      : socket_(io),
        timer_(io),
        ep_(ep),
        head_(std::move(head)),
        callback_(callback),
        stats_(stats),
        end_(end),
        id_(id) {}
  void start() {
    socket_.async_connect(ep_, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) {
        ++self->stats_.errors;
        return;
      }
      self->socket_.set_option(tcp::no_delay(true));
      self->send();
    });
  }

 private:
  void send() {
    if (Clock::now() >= end_) return;
    if (stats_.rate > 0) {
      const Clock::time_point slot = stats_.next_slot;
      stats_.next_slot += std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / stats_.rate));
      if (slot > Clock::now()) {
        timer_.expires_at(slot);
        timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
          if (!ec) self->send_now();
        });
        return;
      }
    }
    send_now();
  }
  void send_now() {
    if (Clock::now() >= end_) return;
    char to[24];
    std::snprintf(to, sizeof to, "%%2B1555%07d", static_cast<int>((n_++ * 64 + id_) % 10'000'000));
    body_ = std::string("To=") + to +
            "&From=%2B15005550006&Body=Your+instalment+is+due&StatusCallback=" +
            faultline::http::form_encode_component(callback_);
    request_ = head_ + std::to_string(body_.size()) + "\r\n\r\n" + body_;
    started_ = Clock::now();
    ++stats_.sent;
    asio::async_write(socket_, asio::buffer(request_),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) {
                          ++self->stats_.errors;
                          return;
                        }
                        self->read();
                      });
  }
  void read() {
    // Head, then Content-Length bytes of body.
    asio::async_read_until(
        socket_, buffer_, "\r\n\r\n",
        [self = shared_from_this()](boost::system::error_code ec, std::size_t head) {
          if (ec) {
            ++self->stats_.errors;
            return;
          }
          std::string h(asio::buffers_begin(self->buffer_.data()),
                        asio::buffers_begin(self->buffer_.data()) + static_cast<long>(head));
          self->buffer_.consume(head);
          const int status = std::atoi(h.c_str() + 9);
          std::size_t length = 0;
          for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (const auto p = h.find("content-length:"); p != std::string::npos)
            length = std::strtoul(h.c_str() + p + 15, nullptr, 10);
          const std::size_t have = self->buffer_.size();
          const auto done = [self, status](boost::system::error_code e2) {
            if (e2) {
              ++self->stats_.errors;
              return;
            }
            self->stats_.latency_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - self->started_).count());
            (status == 201   ? self->stats_.accepted
             : status == 429 ? self->stats_.throttled
                             : self->stats_.other) += 1;
            self->send();
          };
          if (have >= length) {
            self->buffer_.consume(length);
            done({});
          } else {
            asio::async_read(self->socket_, self->buffer_, asio::transfer_exactly(length - have),
                             [self, length, done](boost::system::error_code e2, std::size_t) {
                               self->buffer_.consume(length);
                               done(e2);
                             });
          }
        });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  tcp::endpoint ep_;
  std::string head_, callback_, body_, request_;
  asio::streambuf buffer_;
  Stats& stats_;
  Clock::time_point end_, started_;
  int id_;
  std::uint64_t n_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0, connections = 32, pid = 0;
  double seconds = 20, rate = 0;
  std::string account, token, sink_mode = "ok";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      port = std::stoi(v);
    else if (k == "--account")
      account = v;
    else if (k == "--token")
      token = v;
    else if (k == "--connections")
      connections = std::stoi(v);
    else if (k == "--seconds")
      seconds = std::stod(v);
    else if (k == "--sink")
      sink_mode = v;
    else if (k == "--pid")
      pid = std::stoi(v);
    else if (k == "--rate")
      rate = std::stod(v);
    else {
      std::cerr << "vendor_load: unknown option " << k << "\n";
      return 2;
    }
  }
  if (port == 0 || account.empty() || token.empty()) {
    std::cerr << "vendor_load --port P --account AC... --token T [--connections N] [--seconds S] "
                 "[--sink ok|hang] [--pid PID]\n";
    return 2;
  }
  asio::io_context io;
  Stats stats;
  std::vector<faultline::http::Router::Reply> hung;  // held, never answered (--sink hang)
  faultline::http::Router sink;
  sink.add_async("POST", "/status",
                 [&](const faultline::http::Request&, faultline::http::Router::Reply reply) {
                   ++stats.callbacks;
                   if (sink_mode == "hang") {
                     if (hung.size() < 100000) hung.push_back(std::move(reply));
                     return;
                   }
                   reply(faultline::http::Response::empty(204));
                 });
  faultline::http::ServerOptions so;
  so.max_connections = 4096;
  faultline::http::Server server(io, sink, so);
  server.listen();
  const std::string callback =
      "http://127.0.0.1:" + std::to_string(server.local_endpoint().port()) + "/status";
  const std::string head =
      "POST /2010-04-01/Accounts/" + account +
      "/Messages.json HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " +
      faultline::base64_encode(account + ":" + token) +
      "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ";
  const auto start = Clock::now();
  stats.rate = rate;
  stats.next_slot = start;
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  for (int c = 0; c < connections; ++c)
    std::make_shared<Connection>(io, ep, head, callback, stats, end, c)->start();
  long peak_rss = 0;
  std::vector<long> rss_series;
  asio::steady_timer sampler(io);
  std::function<void()> sample = [&] {
    if (pid > 0) {
      const long r = rss_kib(pid);
      rss_series.push_back(r);
      peak_rss = std::max(peak_rss, r);
    }
    if (Clock::now() >= end + std::chrono::seconds(2)) {
      hung.clear();
      server.close();
      io.stop();
      return;
    }
    sampler.expires_after(std::chrono::seconds(1));
    sampler.async_wait([&](boost::system::error_code ec) {
      if (!ec) sample();
    });
  };
  sample();
  io.run();
  std::sort(stats.latency_ms.begin(), stats.latency_ms.end());
  const auto q = [&](double p) {
    return stats.latency_ms.empty()
               ? 0.0
               : stats.latency_ms[static_cast<std::size_t>(p * (stats.latency_ms.size() - 1))];
  };
  nlohmann::ordered_json j;
  j["seconds"] = seconds;
  j["connections"] = connections;
  j["sink"] = sink_mode;
  j["rate"] = rate;
  j["sent"] = stats.sent;
  j["accepted"] = stats.accepted;
  j["accepted_per_s"] = static_cast<double>(stats.accepted) / seconds;
  j["throttled_429"] = stats.throttled;
  j["other"] = stats.other;
  j["errors"] = stats.errors;
  j["callbacks_received"] = stats.callbacks;
  j["latency_ms"] = {{"p50", q(0.5)}, {"p99", q(0.99)}};
  j["emulator_rss_kib"] = {{"peak", peak_rss}, {"series", rss_series}};
  std::cout << j.dump() << "\n";
  return 0;
}
