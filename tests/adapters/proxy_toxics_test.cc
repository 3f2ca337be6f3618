// The proxy over real sockets on 127.0.0.1: bytes pass intact, each toxic does what
// docs/adapters.md says, toxics reach live connections, and every random decision
// replays with the seed. Timing assertions have lower bounds from the toxic and generous
// upper bounds (a shared CI machine): they check behaviour, not speed (speed is in
// tests/bench/proxy_bench.cc).
#include <gtest/gtest.h>

#include <random>

#include "adapters/proxy/proxy.h"
#include "sim/random/stream.h"
#include "tests/adapters/proxy_fixture.h"

namespace faultline::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 12345;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

milliseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t);
}

TEST_F(ProxyTest, PassesBytesBothWaysIntact) {
  const auto port = make_proxy();
  RawClient c(port);
  const std::string data = pattern(3 * 1024 * 1024 + 17);
  std::thread writer([&] { c.send(data); });
  const std::string back = c.receive(data.size());
  writer.join();
  EXPECT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);
  EXPECT_EQ(upstream_->connections, 1);
}

TEST_F(ProxyTest, AToxicArrivingMidStreamKeepsEveryByteInOrder) {
  // A bulk stream takes the zero-copy path; a toxic arriving mid-stream must first let
  // what the path holds out, then apply to the rest.
  const auto port = make_proxy();
  RawClient c(port, milliseconds(10000));
  const std::string data = pattern(8 * 1024 * 1024);
  std::thread writer([&] { c.send(data); });
  std::string back = c.receive(2 * 1024 * 1024);
  add_toxic("p", {{"type", "slicer"},
                  {"attributes", {{"average_size", 60000}, {"size_variation", 100}}}});
  back += c.receive(data.size() - back.size());
  writer.join();
  EXPECT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);
  const auto sliced =
      io_.run_sync([&] { return server_->proxies().get("p")->stats().activations.size(); });
  EXPECT_EQ(sliced, 1u);  // the toxic did act on the rest
}

TEST_F(ProxyTest, HalfCloseTravelsThrough) {
  const auto port = make_proxy();
  RawClient c(port);
  c.send("hello");
  c.shutdown_send();  // the upstream sees EOF, answers, and closes its side too
  EXPECT_EQ(c.receive(), "hello");
  EXPECT_TRUE(c.closed());
}

TEST_F(ProxyTest, LatencyDelaysEveryAnswerOnLiveConnections) {
  const auto port = make_proxy();
  RawClient c(port);
  c.send("a");
  EXPECT_EQ(c.receive(1), "a");
  add_toxic("p", {{"type", "latency"}, {"attributes", {{"latency", 500}}}});
  const auto t = Clock::now();
  c.send("b");
  EXPECT_EQ(c.receive(1), "b");  // the toxic reached the open connection
  EXPECT_GE(since(t), milliseconds(500));
  EXPECT_LT(since(t), milliseconds(3000));
  remove_toxic("p", "latency_downstream");
  const auto t2 = Clock::now();
  c.send("c");
  EXPECT_EQ(c.receive(1), "c");
  EXPECT_LT(since(t2), milliseconds(450));  // gone: well under the 500 ms it added
}

TEST_F(ProxyTest, RemovingLatencyReleasesWhatItHeld) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "latency"}, {"attributes", {{"latency", 60000}}}});
  RawClient c(port);
  const auto t = Clock::now();
  c.send("held");
  std::this_thread::sleep_for(milliseconds(100));
  remove_toxic("p", "latency_downstream");
  EXPECT_EQ(c.receive(4), "held");  // not lost, not 60 s late
  EXPECT_LT(since(t), milliseconds(5000));
}

TEST_F(ProxyTest, BandwidthLimitsTheRate) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "bandwidth"}, {"attributes", {{"rate", 500}}}});  // 500 KB/s
  RawClient c(port, milliseconds(10000));
  const std::string data = pattern(200'000);  // 0.4 s at 500 KB/s
  const auto t = Clock::now();
  std::thread writer([&] { c.send(data); });
  const std::string back = c.receive(data.size());
  writer.join();
  EXPECT_TRUE(back == data);
  EXPECT_GE(since(t), milliseconds(380));
  EXPECT_LT(since(t), milliseconds(5000));
}

TEST_F(ProxyTest, BackPressureKeepsMemoryBounded) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "bandwidth"}, {"stream", "upstream"}, {"attributes", {{"rate", 1}}}});
  RawClient c(port, milliseconds(300));
  // The client can push far more than the proxy may hold; it blocks (send timeout).
  const std::string big(64 * 1024 * 1024, 'x');
  EXPECT_THROW(c.send(big), std::runtime_error);
  const std::size_t held = io_.run_sync([&] { return *server_->runtime().total_held(); });
  EXPECT_LE(held, server_->runtime().limits().link_buffer_bytes + 64 * 1024);
  EXPECT_GT(held, 0u);
}

TEST_F(ProxyTest, SlowCloseHoldsTheCloseBack) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "slow_close"}, {"attributes", {{"delay", 200}}}});
  RawClient c(port);
  const auto t = Clock::now();
  c.send("QUIT\n");  // the upstream echoes it and closes
  EXPECT_EQ(c.receive(), "QUIT\n");
  EXPECT_TRUE(c.closed());
  EXPECT_GE(since(t), milliseconds(200));
}

TEST_F(ProxyTest, TimeoutSwallowsDataThenCloses) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "timeout"}, {"attributes", {{"timeout", 200}}}});
  RawClient c(port);
  const auto t = Clock::now();
  c.send("lost");
  EXPECT_EQ(c.receive(), "");
  EXPECT_TRUE(c.closed());
  EXPECT_GE(since(t), milliseconds(190));
}

TEST_F(ProxyTest, TimeoutZeroHoldsUntilRemovedThenCloses) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "timeout"}, {"attributes", {{"timeout", 0}}}});
  RawClient c(port, milliseconds(300));
  c.send("lost");
  EXPECT_EQ(c.receive(), "");
  EXPECT_FALSE(c.closed());  // the read timed out: still open
  remove_toxic("p", "timeout_downstream");
  RawClient again(port);
  again.send("x");
  EXPECT_EQ(again.receive(1), "x");  // new connections are fine
  c.receive();
  EXPECT_TRUE(c.closed());  // the held one was closed (Toxiproxy's cleanup)
}

TEST_F(ProxyTest, ResetPeerSendsARst) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "reset_peer"}, {"attributes", {{"timeout", 50}}}});
  RawClient c(port);
  c.send("x");
  c.receive();
  EXPECT_TRUE(c.reset());
}

TEST_F(ProxyTest, SlicerKeepsTheBytesAndSpacesTheSlices) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "slicer"},
                  {"attributes", {{"average_size", 10}, {"size_variation", 5}, {"delay", 2000}}}});
  RawClient c(port);
  const std::string data = pattern(200);  // ~20 slices, 2 ms apart
  const auto t = Clock::now();
  c.send(data);
  EXPECT_TRUE(c.receive(data.size()) == data);
  EXPECT_GE(since(t), milliseconds(20));
}

TEST_F(ProxyTest, LimitDataClosesAfterTheLimit) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "limit_data"}, {"attributes", {{"bytes", 10}}}});
  RawClient c(port);
  c.send("0123456789abcdef");
  EXPECT_EQ(c.receive(), "0123456789");
  EXPECT_TRUE(c.closed());
}

TEST_F(ProxyTest, SilentDropAcceptsAndLosesButKeepsTheConnection) {
  const auto port = make_proxy();
  add_toxic("p", {{"type", "silent_drop"}, {"stream", "upstream"}});
  RawClient c(port, milliseconds(300));
  c.send("message 1");
  EXPECT_EQ(c.receive(), "");
  EXPECT_FALSE(c.closed());
  EXPECT_EQ(upstream_->bytes, 0u);
  remove_toxic("p", "silent_drop_upstream");
  c.send("message 2");
  EXPECT_EQ(c.receive(9), "message 2");  // the same connection carries on
}

TEST_F(ProxyTest, DisablingTakesTheProxyDown) {
  const auto port = make_proxy();
  RawClient c(port, milliseconds(2000));
  io_.run_sync([&] { return server_->proxies().update("p", {{"enabled", false}})->enabled(); });
  c.receive();
  EXPECT_TRUE(c.closed() || c.reset());
  EXPECT_THROW(RawClient{port}, boost::system::system_error);  // refused
  io_.run_sync([&] { return server_->proxies().update("p", {{"enabled", true}})->enabled(); });
  RawClient again(port);
  again.send("y");
  EXPECT_EQ(again.receive(1), "y");
}

TEST_F(ProxyTest, AnUpstreamThatRefusesClosesTheClientAndIsCounted) {
  std::uint16_t dead;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    dead = a.local_endpoint().port();
  }
  const auto port = make_proxy("dead", dead);
  RawClient c(port);
  c.receive();
  EXPECT_TRUE(c.closed() || c.reset());
  const auto failures =
      io_.run_sync([&] { return server_->proxies().get("dead")->stats().upstream_failures_total; });
  EXPECT_EQ(failures, 1u);
}

// Which connections a toxic with toxicity 0.5 hits: a pure function of the seed.
std::vector<bool> reset_pattern(ProxyTest& t, std::uint16_t port, int n) {
  std::vector<bool> hit;
  for (int i = 0; i < n; ++i) {
    RawClient c(port, milliseconds(2000));
    c.send("z");
    const std::string got = c.receive(1);
    hit.push_back(got.empty());
  }
  (void)t;
  return hit;
}

TEST_F(ProxyTest, ToxicityDecisionsReplayWithTheSeed) {
  auto run = [&](std::uint64_t seed) {
    make_server(seed);
    const auto port = make_proxy();
    add_toxic("p", {{"type", "reset_peer"}, {"toxicity", 0.5}});
    return reset_pattern(*this, port, 24);
  };
  const auto first = run(7);
  const auto again = run(7);
  const auto other = run(8);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);  // 24 fair coins agreeing by chance: 2^-24
  const auto hits = std::count(first.begin(), first.end(), true);
  EXPECT_GT(hits, 3);  // Binomial(24, 0.5): P(<= 3) < 2e-4
  EXPECT_LT(hits, 21);
}

TEST_F(ProxyTest, JitterIsTheDocumentedKeyedDraw) {
  // docs/adapters.md: the k-th draw of toxic T of proxy P on connection n is
  // KeyedRandom(seed, "proxy/P/T/draws").u64(n, k); latency's jitter is that draw mapped
  // to a whole number of ms in [-jitter, jitter - 1].
  constexpr std::uint64_t kSeed = 11;
  make_server(kSeed);
  const auto port = make_proxy();
  add_toxic("p", {{"type", "latency"}, {"attributes", {{"latency", 300}, {"jitter", 250}}}});
  const KeyedRandom draws(kSeed, "proxy/p/latency_downstream/draws");
  for (std::uint64_t n = 0; n < 5; ++n) {
    const auto expected = milliseconds(300 + to_int(draws.u64(n, 0), -250, 249));
    RawClient c(port);
    const auto t = Clock::now();
    c.send("j");
    c.receive(1);
    const auto took = since(t);
    EXPECT_GE(took, expected) << "connection " << n;  // a timer never fires early
    EXPECT_LT(took, expected + milliseconds(250)) << "connection " << n;
  }
}

}  // namespace
}  // namespace faultline::testing

namespace faultline::testing {
namespace {

// Regression (found by LeakSanitizer): a connection holds its proxy and the proxy held
// its connections until their posted endings ran — so a server destroyed when the event
// loop stopped right after kept both alive forever.
TEST(ProxyLifetime, StoppingFreesProxiesAndConnectionsEvenIfTheLoopStopsAtOnce) {
  auto io = std::make_unique<IoThread>();
  std::unique_ptr<EchoUpstream> upstream;
  std::unique_ptr<proxy::ProxyServer> server;
  std::weak_ptr<proxy::Proxy> weak;
  const std::uint16_t port = io->run_sync([&] {
    upstream = std::make_unique<EchoUpstream>(io->io());
    proxy::ServerOptions o;
    o.api = false;
    o.log = [](const std::string&) {};
    server = std::make_unique<proxy::ProxyServer>(io->io(), o);
    auto p =
        server->proxies().create({{"name", "p"},
                                  {"listen", "127.0.0.1:0"},
                                  {"upstream", "127.0.0.1:" + std::to_string(upstream->port())}});
    weak = p;
    return p->listen_endpoint_port();
  });
  RawClient c(port);
  c.send("x");
  EXPECT_EQ(c.receive(1), "x");  // a live connection
  io->run_sync([&] {
    server.reset();
    upstream.reset();
    return 0;
  });
  io.reset();  // the loop stops; what was posted is destroyed, never run
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace faultline::testing
