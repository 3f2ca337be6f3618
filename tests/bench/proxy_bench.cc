// What `faultline proxy` costs (issue 14's must-hold figures), measured on the real binary
// in its own process, with upstreams on a thread of this one and the client on the
// benchmark thread, all over 127.0.0.1:
//
// - BM_ProxyThroughput: 32 MiB pushed to a sink directly, through the proxy (no toxic),
//   and through a minimal splice(2) forwarder process (the bound of any forwarder here),
//   back to back in a rotating order each iteration. Counters: medians of direct_MiBps,
//   proxied_MiBps, forwarder_MiBps, of the per-iteration ratios proxied/direct (`ratio`,
//   target ≥ 0.80) and forwarder/direct, and the proxy's own CPU per GiB.
// - BM_ProxyLatency: 2,000 request/response round trips of 100 bytes on a kept-alive
//   connection, alternating direct and proxied request by request. Counters: p50/p99 of
//   each and added_p50_us = proxied p50 − direct p50 (target < 100 µs).
// - BM_ProxyLatencyToxic: a `latency` toxic of 50 ms on the responses: median added delay
//   over 20 round trips, and its error against the 50 ms asked (target within 5 %).
// - BM_ProxyBandwidthToxic: a `bandwidth` toxic of 2,000 KB/s: 2 MB through it, the rate
//   measured from the first byte sent to the last received (target within 5 %).
// - BM_ProxyConnections: 1,000 connections opened through the proxy, one 4 KiB
//   exchange on each, all held open; then each sends 64 KiB before any reads its echo.
//   The proxy's RSS before, with the connections held, and its peak (VmHWM) over both,
//   from /proc/<pid>/status: bounded memory, KiB per held connection.
//
// The machine is shared: direct and proxied runs are interleaved in one process and the
// figures are medians; the load average is in the benchmark's context.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/client.h"

namespace faultline {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

// --- upstreams, on one asio thread: a sink (reads to EOF, answers one byte) and an echo.
class Upstreams {
 public:
  Upstreams()
      : sink_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        echo_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        guard_(asio::make_work_guard(io_)) {
    accept_sink();
    accept_echo();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Upstreams() {
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  std::uint16_t sink_port() const { return sink_.local_endpoint().port(); }
  std::uint16_t echo_port() const { return echo_.local_endpoint().port(); }

 private:
  struct Conn : std::enable_shared_from_this<Conn> {
    explicit Conn(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    std::vector<char> buf = std::vector<char>(256 * 1024);
  };
  void accept_sink() {
    sink_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      s.set_option(tcp::no_delay(true));
      drain(std::make_shared<Conn>(std::move(s)));
      accept_sink();
    });
  }
  static void drain(std::shared_ptr<Conn> c) {
    c->socket.async_read_some(asio::buffer(c->buf), [c](boost::system::error_code ec, std::size_t) {
      if (!ec) return drain(c);
      static const char done = '!';
      boost::system::error_code ignored;
      asio::write(c->socket, asio::buffer(&done, 1), ignored);
    });
  }
  void accept_echo() {
    echo_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      s.set_option(tcp::no_delay(true));
      echo(std::make_shared<Conn>(std::move(s)));
      accept_echo();
    });
  }
  static void echo(std::shared_ptr<Conn> c) {
    c->socket.async_read_some(asio::buffer(c->buf),
                              [c](boost::system::error_code ec, std::size_t n) {
                                if (ec) return;
                                asio::async_write(c->socket, asio::buffer(c->buf.data(), n),
                                                  [c](boost::system::error_code wec, std::size_t) {
                                                    if (!wec) echo(c);
                                                  });
                              });
  }

  asio::io_context io_;
  tcp::acceptor sink_, echo_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

// --- `faultline proxy` in its own process, driven through its API.
class ProxyProcess {
 public:
  ProxyProcess() {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      execl(FAULTLINE_BINARY, FAULTLINE_BINARY, "proxy", "--port", "0", "--seed", "1",
            "--max-connections", "5000", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string text;
    char buf[512];
    const std::regex re(R"(control API on http://(127\.0\.0\.1:\d+))");
    std::smatch m;
    while (!std::regex_search(text, m, re)) {
      const ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("faultline proxy did not start: " + text);
      text.append(buf, static_cast<std::size_t>(n));
    }
    api_ = "http://" + m[1].str();
    out_ = out[0];  // kept open: its last lines fit in the pipe, unread
  }
  ~ProxyProcess() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    close(out_);
  }
  // A proxy to 127.0.0.1:upstream; returns its port.
  std::uint16_t create(const std::string& name, std::uint16_t upstream) {
    const auto r =
        call("POST", "/proxies",
             R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                 std::to_string(upstream) + "\"}");
    const std::string listen = nlohmann::json::parse(r)["listen"];
    return static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
  }
  void toxic(const std::string& proxy, const std::string& body) {
    call("POST", "/proxies/" + proxy + "/toxics", body);
  }
  void remove_toxic(const std::string& proxy, const std::string& name) {
    call("DELETE", "/proxies/" + proxy + "/toxics/" + name, "");
  }
  // CPU seconds the proxy process has used (user + system), from /proc/<pid>/stat.
  double cpu_seconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  // A /proc/<pid>/status field in KiB.
  double status_kib(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);)
      if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1));
    return -1;
  }

 private:
  std::string call(const std::string& method, const std::string& path, const std::string& body) {
    const auto r = http::request(method, api_ + path, {}, body);
    if (r.status >= 400 || r.status == 0)
      throw std::runtime_error(method + " " + path + ": " + r.error + r.body);
    return r.body;
  }
  pid_t pid_ = -1;
  int out_ = -1;
  std::string api_;
};

// The bound of any forwarding process on this machine: a minimal blocking splice(2) loop
// in a child process (one connection at a time, one direction, no event loop, no
// toxics). The proxy's throughput is judged against it as well as against a direct
// connection: on a loaded 2-core machine a third process in the path costs what it costs.
class MinimalForwarder {
 public:
  explicit MinimalForwarder(std::uint16_t upstream) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(listener_, 16);
    socklen_t len = sizeof a;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    pid_ = fork();
    if (pid_ == 0) serve(upstream);  // never returns
    close(listener_);
  }
  ~MinimalForwarder() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::uint16_t port() const { return port_; }

 private:
  [[noreturn]] void serve(std::uint16_t upstream) {
    for (;;) {
      const int c = accept(listener_, nullptr, nullptr);
      const int u = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(upstream);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      connect(u, reinterpret_cast<sockaddr*>(&a), sizeof a);
      int p[2];
      if (pipe(p) != 0) _exit(1);
      fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
      for (;;) {
        ssize_t n = splice(c, nullptr, p[1], nullptr, 1 << 20, SPLICE_F_MOVE);
        if (n <= 0) break;
        while (n > 0) {
          const ssize_t m =
              splice(p[0], nullptr, u, nullptr, static_cast<std::size_t>(n), SPLICE_F_MOVE);
          if (m <= 0) break;
          n -= m;
        }
      }
      shutdown(u, SHUT_WR);
      char done;
      if (read(u, &done, 1) == 1 && write(c, &done, 1) != 1) _exit(1);
      close(u);
      close(c);
      close(p[0]);
      close(p[1]);
    }
  }
  int listener_ = -1;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

struct World {
  Upstreams upstreams;
  ProxyProcess proxy;
  std::uint16_t sink_via = proxy.create("sink", upstreams.sink_port());
  std::uint16_t echo_via = proxy.create("echo", upstreams.echo_port());
  MinimalForwarder forwarder{upstreams.sink_port()};
};
World& world() {
  static World w;
  return w;
}

// --- a blocking client socket
class Socket {
 public:
  explicit Socket(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("connect to " + std::to_string(port) + " failed");
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  void send_all(const char* p, std::size_t n) {
    while (n > 0) {
      const ssize_t w = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (w <= 0) throw std::runtime_error("send failed");
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  void recv_all(char* p, std::size_t n) {
    while (n > 0) {
      const ssize_t r = ::recv(fd_, p, n, 0);
      if (r <= 0) throw std::runtime_error("recv failed");
      p += r;
      n -= static_cast<std::size_t>(r);
    }
  }
  void shutdown_send() { ::shutdown(fd_, SHUT_WR); }

 private:
  int fd_;
};

// Seconds to push `bytes` to the sink at `port` and hear it got them all.
double push(std::uint16_t port, std::size_t bytes) {
  static const std::vector<char> block(256 * 1024, 'x');
  Socket s(port);
  const auto t = Clock::now();
  for (std::size_t sent = 0; sent < bytes; sent += block.size())
    s.send_all(block.data(), std::min(block.size(), bytes - sent));
  s.shutdown_send();
  char done;
  s.recv_all(&done, 1);
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void BM_ProxyThroughput(benchmark::State& state) {
  World& w = world();
  constexpr std::size_t kBytes = 32 << 20;
  std::vector<double> direct, proxied, bound, ratio, bound_ratio;
  double proxy_cpu = 0;
  int turn = 0;
  for (auto _ : state) {
    // The three paths back to back, in a rotating order.
    double d = 0, p = 0, f = 0;
    for (int k = 0; k < 3; ++k) {
      switch ((turn + k) % 3) {
        case 0:
          d = push(w.upstreams.sink_port(), kBytes);
          break;
        case 1: {
          const double cpu_before = w.proxy.cpu_seconds();
          p = push(w.sink_via, kBytes);
          proxy_cpu += w.proxy.cpu_seconds() - cpu_before;
          break;
        }
        default:
          f = push(w.forwarder.port(), kBytes);
      }
    }
    ++turn;
    direct.push_back(kBytes / d / (1 << 20));
    proxied.push_back(kBytes / p / (1 << 20));
    bound.push_back(kBytes / f / (1 << 20));
    ratio.push_back(d / p);
    bound_ratio.push_back(d / f);
  }
  state.counters["direct_MiBps"] = median(direct);
  state.counters["proxied_MiBps"] = median(proxied);
  state.counters["forwarder_MiBps"] = median(bound);
  state.counters["ratio"] = median(ratio);
  state.counters["forwarder_ratio"] = median(bound_ratio);
  // What the proxy itself spends per GiB moved: independent of the machine's load.
  state.counters["proxy_cpu_ms_per_GiB"] =
      1000 * proxy_cpu / (static_cast<double>(state.iterations()) * kBytes / (1 << 30));
}
BENCHMARK(BM_ProxyThroughput)->Iterations(31)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProxyLatency(benchmark::State& state) {
  World& w = world();
  Socket direct(w.upstreams.echo_port()), proxied(w.echo_via);
  char msg[100] = {}, back[100];
  std::vector<double> d_us, p_us;
  auto round_trip = [&](Socket& s) {
    const auto t = Clock::now();
    s.send_all(msg, sizeof msg);
    s.recv_all(back, sizeof back);
    return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
  };
  for (int i = 0; i < 200; ++i) round_trip(direct), round_trip(proxied);  // warm up
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      d_us.push_back(round_trip(direct));
      p_us.push_back(round_trip(proxied));
    }
  }
  state.counters["direct_p50_us"] = percentile(d_us, 0.5);
  state.counters["proxied_p50_us"] = percentile(p_us, 0.5);
  state.counters["added_p50_us"] = percentile(p_us, 0.5) - percentile(d_us, 0.5);
  state.counters["direct_p99_us"] = percentile(d_us, 0.99);
  state.counters["proxied_p99_us"] = percentile(p_us, 0.99);
}
BENCHMARK(BM_ProxyLatency)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProxyLatencyToxic(benchmark::State& state) {
  World& w = world();
  constexpr double kAskedMs = 50;
  w.proxy.toxic("echo", R"({"name":"slow","type":"latency","attributes":{"latency":50}})");
  Socket direct(w.upstreams.echo_port()), proxied(w.echo_via);
  char msg[100] = {}, back[100];
  std::vector<double> added_ms;
  for (auto _ : state) {
    for (int i = 0; i < 20; ++i) {
      auto t = Clock::now();
      direct.send_all(msg, sizeof msg);
      direct.recv_all(back, sizeof back);
      const double d = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
      t = Clock::now();
      proxied.send_all(msg, sizeof msg);
      proxied.recv_all(back, sizeof back);
      added_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count() - d);
    }
  }
  w.proxy.remove_toxic("echo", "slow");
  const double m = median(added_ms);
  state.counters["asked_ms"] = kAskedMs;
  state.counters["measured_ms"] = m;
  state.counters["error_pct"] = 100 * (m - kAskedMs) / kAskedMs;
}
BENCHMARK(BM_ProxyLatencyToxic)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProxyBandwidthToxic(benchmark::State& state) {
  World& w = world();
  constexpr double kAskedKBps = 2000;
  constexpr std::size_t kBytes = 2'000'000;
  w.proxy.toxic(
      "sink",
      R"({"name":"thin","type":"bandwidth","stream":"upstream","attributes":{"rate":2000}})");
  std::vector<double> rates;
  for (auto _ : state) rates.push_back(kBytes / push(w.sink_via, kBytes) / 1000);
  w.proxy.remove_toxic("sink", "thin");
  const double m = median(rates);
  state.counters["asked_KBps"] = kAskedKBps;
  state.counters["measured_KBps"] = m;
  state.counters["error_pct"] = 100 * (m - kAskedKBps) / kAskedKBps;
}
BENCHMARK(BM_ProxyBandwidthToxic)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProxyConnections(benchmark::State& state) {
  World& w = world();
  ProxyProcess fresh;  // its own process: RSS figures start from a proxy that did nothing
  const std::uint16_t echo_via = fresh.create("echo", w.upstreams.echo_port());
  const auto n = static_cast<std::size_t>(state.range(0));
  const double before_kib = fresh.status_kib("VmRSS");
  std::vector<std::unique_ptr<Socket>> held;
  std::vector<char> msg(4096, 'c'), back(4096);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      held.push_back(std::make_unique<Socket>(echo_via));
      held.back()->send_all(msg.data(), msg.size());
      held.back()->recv_all(back.data(), back.size());
    }
  }
  const double held_kib = fresh.status_kib("VmRSS");
  // All at once: each sends 64 KiB before any reads its echo, so the proxy holds data on
  // every connection; its caps bound what that costs.
  std::vector<char> big(64 * 1024, 'b'), big_back(64 * 1024);
  for (auto& s : held) s->send_all(big.data(), big.size());
  for (auto& s : held) s->recv_all(big_back.data(), big_back.size());
  state.counters["connections"] = static_cast<double>(n);
  state.counters["rss_before_MiB"] = before_kib / 1024;
  state.counters["rss_held_MiB"] = held_kib / 1024;
  state.counters["peak_rss_MiB"] = fresh.status_kib("VmHWM") / 1024;
  state.counters["kib_per_connection"] = (held_kib - before_kib) / static_cast<double>(n);
  held.clear();
}
BENCHMARK(BM_ProxyConnections)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
