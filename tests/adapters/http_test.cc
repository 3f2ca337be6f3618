// adapters/http: the router without a network, then the server and the client over real
// sockets on 127.0.0.1 (bounded: every read has a timeout, every client a deadline).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <future>
#include <thread>

#include "adapters/common/address.h"
#include "adapters/common/shutdown.h"
#include "adapters/http/client.h"
#include "adapters/http/form.h"
#include "adapters/http/router.h"
#include "adapters/http/server.h"
#include "tests/adapters/loopback.h"

namespace faultline::http {
namespace {

using faultline::testing::IoThread;
using faultline::testing::RawClient;
using std::chrono::milliseconds;
namespace asio = boost::asio;
using asio::ip::tcp;

TEST(Form, DecodesPlusAndPercentAndKeepsOrderAndRepeats) {
  const auto fields = parse_form("To=%2B15551234&Body=hello+world%21&MediaUrl=a&MediaUrl=b&flag");
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"To", "+15551234"}));
  EXPECT_EQ(fields[1].second, "hello world!");
  EXPECT_EQ(fields[2].second, "a");
  EXPECT_EQ(fields[3].second, "b");
  EXPECT_EQ(fields[4], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(form_value(fields, "MediaUrl"), "a");
  EXPECT_FALSE(form_value(fields, "Nope"));
}

TEST(Form, EncodeThenParseIsTheIdentity) {
  const FormFields fields = {{"Body", "50% off & more=yes"}, {"To", "+1 555"}, {"é", "ü/?"}};
  EXPECT_EQ(parse_form(encode_form(fields)), fields);
  EXPECT_EQ(form_encode_component("a b+c"), "a+b%2Bc");
  EXPECT_EQ(path_encode_segment("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(url_decode("%zz%4"), "%zz%4");  // malformed escapes are kept
}

TEST(Address, ParsesHostPortForms) {
  auto hp = adapters::parse_host_port("127.0.0.1:8474");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "127.0.0.1");
  EXPECT_EQ(hp->port, 8474);
  hp = adapters::parse_host_port("[::1]:0");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "::1");
  hp = adapters::parse_host_port(":9000");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "");
  std::string why;
  EXPECT_FALSE(adapters::parse_host_port("local373", &why));
  EXPECT_NE(why.find("port"), std::string::npos);
  EXPECT_FALSE(adapters::parse_host_port("host:70000", &why));
  EXPECT_NE(why.find("70000"), std::string::npos);
  EXPECT_FALSE(adapters::parse_host_port("::1:80", &why));
  EXPECT_EQ(adapters::join_host_port("::1", 80), "[::1]:80");
}

TEST(Address, LoopbackRule) {
  EXPECT_TRUE(adapters::is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(adapters::is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(adapters::is_loopback_host("::1"));
  EXPECT_TRUE(adapters::is_loopback_host("localhost"));
  EXPECT_TRUE(adapters::is_loopback_host("::ffff:127.0.0.1"));
  EXPECT_FALSE(adapters::is_loopback_host(""));
  EXPECT_FALSE(adapters::is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(adapters::is_loopback_host("10.0.0.1"));
}

Response call(const Router& router, std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  Response out;
  bool replied = false;
  router.dispatch(request, [&](Response r) {
    out = std::move(r);
    replied = true;
  });
  EXPECT_TRUE(replied);
  return out;
}

TEST(Router, CapturesDecodedSegmentsAndAnswers404And405) {
  Router router;
  router.add("GET", "/proxies/{proxy}/toxics/{toxic}", [](const Request& r) {
    return Response::text(200, r.param("proxy") + "|" + r.param("toxic"));
  });
  router.add("DELETE", "/proxies/{proxy}", [](const Request&) { return Response::empty(204); });
  EXPECT_EQ(call(router, "GET", "/proxies/red%20is/toxics/lat?x=1").body, "red is|lat\n");
  EXPECT_EQ(call(router, "GET", "/proxies/a/toxics").status, 404);
  EXPECT_EQ(call(router, "GET", "/proxies//toxics/x").status, 404);  // empty capture
  const Response r = call(router, "GET", "/proxies/a");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow"), "DELETE");
}

TEST(Router, HandlerErrorsBecomeFormattedResponses) {
  Router router;
  router.set_error_formatter([](int status, std::string_view message) {
    return Response::json(status, nlohmann::ordered_json{{"error", message}, {"status", status}});
  });
  router.add("POST", "/bad", [](const Request&) -> Response { throw HttpError(409, "taken"); });
  router.add("POST", "/bug", [](const Request&) -> Response { throw std::logic_error("oops"); });
  router.add("POST", "/json", [](const Request& r) { return Response::json(200, r.json()); });
  EXPECT_EQ(call(router, "POST", "/bad").body, R"({"error":"taken","status":409})");
  const Response bug = call(router, "POST", "/bug");
  EXPECT_EQ(bug.status, 500);
  EXPECT_NE(bug.body.find("oops"), std::string::npos);
  const Response json = call(router, "POST", "/json");  // empty body is not JSON
  EXPECT_EQ(json.status, 400);
  EXPECT_NE(json.body.find("malformed JSON body"), std::string::npos);
}

TEST(Router, FilterAnswersBeforeRouting) {
  Router router;
  router.add("GET", "/x", [](const Request&) { return Response::text(200, "x"); });
  router.set_filter([](const Request& r) -> std::optional<Response> {
    if (r.headers.value_or("User-Agent", "").rfind("Mozilla/", 0) == 0)
      return Response::text(403, "User agent not allowed");
    return std::nullopt;
  });
  Request browser;
  browser.method = "GET";
  browser.target = "/x";
  browser.headers.set("User-Agent", "Mozilla/5.0");
  int status = 0;
  router.dispatch(browser, [&](Response r) { status = r.status; });
  EXPECT_EQ(status, 403);
  EXPECT_EQ(call(router, "GET", "/x").status, 200);
}

// A server on an ephemeral loopback port, run by a background thread.
class ServerTest : public ::testing::Test {
 protected:
  void start(Router router, ServerOptions options = {}) {
    server_ = std::make_unique<Server>(io_.io(), std::move(router), options);
    io_.run_sync([&] {
      server_->listen();
      return 0;
    });
    port_ = server_->local_endpoint().port();
  }
  void TearDown() override {
    if (server_)
      io_.run_sync([&] {
        server_.reset();
        return 0;
      });
    io_.stop();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  static ClientOptions quick() {
    ClientOptions o;
    o.timeout = milliseconds(3000);
    return o;
  }

  IoThread io_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

Router echo_router() {
  Router router;
  router.add("POST", "/echo/{name}", [](const Request& r) {
    nlohmann::ordered_json j;
    j["name"] = r.param("name");
    j["body"] = r.body;
    j["type"] = r.headers.value_or("content-type", "");
    j["form_to"] = form_value(r.form(), "To").value_or("");
    return Response::json(201, j);
  });
  router.add("GET", "/hello", [](const Request&) { return Response::text(200, "hello"); });
  return router;
}

TEST_F(ServerTest, BindsLoopbackAndAnswersAClient) {
  start(echo_router());
  EXPECT_TRUE(server_->local_endpoint().address().is_loopback());
  Headers headers;
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  const auto r = request("POST", url("/echo/al%20pha"), headers, "To=%2B1555&Body=hi", quick());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["name"], "al pha");
  EXPECT_EQ(j["form_to"], "+1555");
  EXPECT_EQ(r.attempts, 1);
}

TEST_F(ServerTest, KeepsConnectionsAliveAndAnswersInOrder) {
  start(echo_router());
  RawClient c(port_);
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string got = c.receive_until("hello\n", 2);
  EXPECT_EQ(RawClient::count(got, "HTTP/1.1 200 OK"), 2) << got;
  EXPECT_FALSE(c.closed());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string last = c.receive();
  EXPECT_NE(last.find("Connection: close"), std::string::npos) << last;
  EXPECT_TRUE(c.closed());
}

TEST_F(ServerTest, RefusesOversizedHeadsAndBodiesAndMalformedRequests) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  o.max_body_bytes = 100;
  start(echo_router(), o);
  {
    RawClient c(port_);
    c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    const std::string r = c.receive();
    EXPECT_EQ(r.rfind("HTTP/1.1 431", 0), 0u) << r;
    EXPECT_TRUE(c.closed());
  }
  {
    RawClient c(port_);
    c.send("POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    const std::string r = c.receive();
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  }
  {
    RawClient c(port_);
    c.send("NOT A REQUEST\r\n\r\n");
    const std::string r = c.receive();
    EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
  }
  // The server is still fine.
  EXPECT_EQ(request("GET", url("/hello"), {}, {}, quick()).status, 200);
}

TEST_F(ServerTest, AnswersExpectContinue) {
  start(echo_router());
  RawClient c(port_);
  c.send("POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(c.receive_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0), 0u);
  c.send("abc");
  EXPECT_NE(c.receive_until("}").find(R"("body":"abc")"), std::string::npos);
}

TEST_F(ServerTest, APortInUseIsAClearError) {
  start(echo_router());
  ServerOptions o;
  o.port = port_;
  Server second(io_.io(), echo_router(), o);
  try {
    second.listen();
    FAIL() << "listening twice on one port succeeded";
  } catch (const ListenError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port_)), std::string::npos) << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

TEST_F(ServerTest, CloseLetsTheRequestInFlightFinishThenDrains) {
  Router router;
  std::shared_ptr<asio::steady_timer> timer;
  router.add_async("GET", "/slow", [&](const Request&, Router::Reply reply) {
    timer = std::make_shared<asio::steady_timer>(io_.io(), milliseconds(200));
    timer->async_wait(
        [reply](const boost::system::error_code&) { reply(Response::text(200, "late")); });
  });
  start(std::move(router));
  RawClient busy(port_);
  RawClient idle(port_);
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(milliseconds(50));  // the request is in the handler
  std::atomic<bool> drained{false};
  io_.run_sync([&] {
    server_->close([&] { drained = true; });
    return 0;
  });
  EXPECT_FALSE(drained);
  const std::string r = busy.receive();
  EXPECT_NE(r.find("late"), std::string::npos) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_TRUE(busy.closed());
  idle.receive();
  EXPECT_TRUE(idle.closed());
  for (int i = 0; i < 100 && !drained; ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_TRUE(drained);
  EXPECT_THROW(RawClient{port_}, boost::system::system_error);  // no longer listening
}

TEST_F(ServerTest, StalledRequestGets408) {
  ServerOptions o;
  o.read_timeout = milliseconds(200);
  start(echo_router(), o);
  RawClient c(port_);
  c.send("POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  const std::string r = c.receive();
  EXPECT_EQ(r.rfind("HTTP/1.1 408", 0), 0u) << r;
}

TEST_F(ServerTest, ClosesIdleConnectionsAndCapsConcurrentOnes) {
  ServerOptions o;
  o.idle_timeout = milliseconds(150);
  o.max_connections = 1;
  start(echo_router(), o);
  RawClient first(port_);
  first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(first.receive_until("hello\n").find("200 OK"), std::string::npos);
  // The only slot is taken: a second client waits in the backlog, unanswered...
  RawClient second(port_, milliseconds(50));
  second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(second.receive(), "");
  // ...until the first, idle, is closed by the server; then it is served.
  first.receive();
  EXPECT_TRUE(first.closed());
  std::string answer;
  for (int i = 0; i < 40 && answer.find("hello") == std::string::npos; ++i)
    answer += second.receive_until("hello\n");
  EXPECT_NE(answer.find("200 OK"), std::string::npos) << answer;
}

TEST(Shutdown, FirstSignalDrainsAndSetsTheShellExitCode) {
  asio::io_context io;
  int drained_for = 0;
  adapters::SignalShutdown* handle = nullptr;
  adapters::SignalShutdown shutdown(io, [&](int signo) {
    drained_for = signo;
    handle->done();  // nothing to drain here
  });
  handle = &shutdown;
  asio::post(io, [] { std::raise(SIGTERM); });
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(drained_for, SIGTERM);
  EXPECT_EQ(shutdown.exit_code(), 143);
}

TEST(Shutdown, DrainIsBoundedByTheLimit) {
  asio::io_context io;
  asio::steady_timer forever(io, std::chrono::hours(1));  // work that never drains
  forever.async_wait([](const boost::system::error_code&) {});
  adapters::SignalShutdown shutdown(
      io, [](int) {}, milliseconds(100));
  asio::post(io, [] { std::raise(SIGINT); });
  const auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::seconds(5));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(shutdown.exit_code(), 130);
}

TEST(Client, RetryDelayGrowsAndIsCapped) {
  ClientOptions o;
  o.backoff = milliseconds(100);
  o.backoff_multiplier = 2;
  o.max_backoff = milliseconds(500);
  EXPECT_EQ(retry_delay(o, 1, std::nullopt), milliseconds(100));
  EXPECT_EQ(retry_delay(o, 2, std::nullopt), milliseconds(200));
  EXPECT_EQ(retry_delay(o, 3, std::nullopt), milliseconds(400));
  EXPECT_EQ(retry_delay(o, 4, std::nullopt), milliseconds(500));
  EXPECT_EQ(retry_delay(o, 1, milliseconds(300)), milliseconds(300));   // Retry-After
  EXPECT_EQ(retry_delay(o, 1, milliseconds(9000)), milliseconds(500));  // ... capped
}

TEST(Client, RejectsBadUrls) {
  std::string why;
  EXPECT_FALSE(parse_url("https://x/", &why));
  EXPECT_NE(why.find("http://"), std::string::npos);
  EXPECT_FALSE(parse_url("http:///x", &why));
  const auto u = parse_url("http://[::1]:81/a?b=c");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 81);
  EXPECT_EQ(u->target, "/a?b=c");
  EXPECT_EQ(parse_url("http://h?x")->target, "/?x");
  const auto r = request("POST", "ftp://x/");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("http://"), std::string::npos);
}

TEST_F(ServerTest, ClientRetriesRetryableAnswersWithBackoff) {
  Router router;
  std::atomic<int> calls{0};
  router.add("POST", "/cb", [&](const Request&) {
    if (++calls < 3) return Response::text(503, "busy").with_header("Retry-After", "0");
    return Response::text(200, "ok");
  });
  start(std::move(router));
  ClientOptions o = quick();
  o.max_attempts = 4;
  o.backoff = milliseconds(20);
  const auto started = std::chrono::steady_clock::now();
  const auto r = request("POST", url("/cb"), {}, "x", o);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(calls, 3);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(20 + 40));
  // Bounded: the attempts run out and the last answer is reported.
  calls = -10;
  o.max_attempts = 2;
  const auto exhausted = request("POST", url("/cb"), {}, "x", o);
  EXPECT_EQ(exhausted.status, 503);
  EXPECT_EQ(exhausted.attempts, 2);
  EXPECT_FALSE(exhausted.ok());
}

TEST(Client, TimesOutOnAServerThatNeverAnswers) {
  asio::io_context io;
  tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = silent.local_endpoint().port();  // accepts (backlog), never answers
  ClientOptions o;
  o.timeout = milliseconds(200);
  o.max_attempts = 2;
  o.backoff = milliseconds(10);
  const auto started = std::chrono::steady_clock::now();
  const auto r = request("POST", "http://127.0.0.1:" + std::to_string(port) + "/", {}, "x", o);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_NE(r.error.find("timed out after 200 ms"), std::string::npos) << r.error;
  EXPECT_GE(took, milliseconds(400));
  EXPECT_LT(took, milliseconds(5000));
}

TEST(Client, ReportsARefusedConnection) {
  std::uint16_t port;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  const auto r = request("GET", "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.error;
}

// ---- ClientPool: keep-alive connections ----

// Sends one request through `pool` on the io thread and waits for the answer (bounded by the
// request's own deadline and retries).
ClientResponse pooled(IoThread& io, ClientPool& pool, const std::string& method,
                      const std::string& url, ClientOptions o) {
  std::promise<ClientResponse> answer;
  auto future = answer.get_future();
  asio::post(io.io(), [&] {
    pool.async_request(method, url, {}, "x=1", o,
                       [&answer](ClientResponse r) { answer.set_value(std::move(r)); });
  });
  return future.get();
}

PoolStats stats_of(IoThread& io, ClientPool& pool) {
  return io.run_sync([&] { return pool.stats(); });
}

TEST_F(ServerTest, PoolSendsSequentialRequestsOnOneConnection) {
  start(echo_router());
  auto pool = std::make_unique<ClientPool>(io_.io());
  for (int i = 0; i < 5; ++i) {
    const auto r = pooled(io_, *pool, "POST", url("/echo/a"), quick());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(nlohmann::json::parse(r.body)["body"], "x=1");
  }
  EXPECT_EQ(io_.run_sync([&] { return server_->accepted_connections(); }), 1u);
  const PoolStats st = stats_of(io_, *pool);
  EXPECT_EQ(st.connects, 1u);
  EXPECT_EQ(st.reuses, 4u);
  EXPECT_EQ(st.idle, 1u);
  // The one-shot client still opens (and closes) a connection per request.
  EXPECT_TRUE(request("GET", url("/hello"), {}, {}, quick()).ok());
  EXPECT_EQ(io_.run_sync([&] { return server_->accepted_connections(); }), 2u);
  io_.run_sync([&] {
    pool.reset();  // closes the idle connection
    return 0;
  });
}

TEST_F(ServerTest, PoolOpensWhatConcurrencyNeedsAndKeepsAtMostTheIdleBound) {
  start(echo_router());
  PoolOptions po;
  po.max_idle_per_host = 2;
  auto pool = std::make_unique<ClientPool>(io_.io(), po);
  // n requests started together: none finds an idle connection, so n connections.
  const auto burst = [&](int n) {
    std::vector<std::promise<ClientResponse>> answers(static_cast<std::size_t>(n));
    io_.run_sync([&] {
      for (auto& a : answers)
        pool->async_request("POST", url("/echo/b"), {}, "y", quick(),
                            [&a](ClientResponse r) { a.set_value(std::move(r)); });
      return 0;
    });
    for (auto& a : answers) EXPECT_TRUE(a.get_future().get().ok());
  };
  const auto accepted = [&] {
    return io_.run_sync([&] { return server_->accepted_connections(); });
  };
  burst(5);
  EXPECT_EQ(accepted(), 5u);
  EXPECT_EQ(stats_of(io_, *pool).idle, 2u);  // three closed: over the bound
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(pooled(io_, *pool, "POST", url("/echo/c"), quick()).ok());
  EXPECT_EQ(accepted(), 5u);  // sequential ones reuse
  burst(5);                   // two reused, three new
  EXPECT_EQ(accepted(), 8u);
  const PoolStats st = stats_of(io_, *pool);
  EXPECT_EQ(st.connects, 8u);
  EXPECT_EQ(st.reuses, 6u);
  EXPECT_EQ(st.idle, 2u);
  io_.run_sync([&] {
    pool.reset();
    return 0;
  });
}

// A scripted HTTP server on its own thread, one connection at a time: it answers the n-th
// request (counted over all connections) with script(n) and then closes the connection if
// asked. Counts accepted connections and the connections the client closed. Reads time out
// after 5 s, so nothing waits forever; the destructor wakes the accept loop and joins.
class ScriptedServer {
 public:
  struct Reply {
    std::string bytes;
    bool close_after = false;
  };
  explicit ScriptedServer(std::function<Reply(int)> script)
      : script_(std::move(script)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        thread_([this] { run(); }) {}
  ~ScriptedServer() {
    stop_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/cb";
  }
  int accepted() const { return accepted_; }
  int client_closes() const { return client_closes_; }

  static Reply keep_alive(const std::string& body = "ok") {
    return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
            body};
  }

 private:
  void run() {
    while (!stop_) {
      tcp::socket s(io_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      ++accepted_;
      const timeval limit{5, 0};
      ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      std::string in;
      for (;;) {
        std::size_t head = std::string::npos, length = 0;
        while (!ec && (head == std::string::npos || in.size() < head + 4 + length)) {
          char chunk[4096];
          const std::size_t n = s.read_some(asio::buffer(chunk), ec);
          in.append(chunk, n);
          head = in.find("\r\n\r\n");
          const auto cl = in.find("Content-Length: ");
          if (head != std::string::npos && cl != std::string::npos && cl < head)
            length = std::stoul(in.substr(cl + 16));
        }
        if (ec) {
          if (ec == asio::error::eof || ec == asio::error::connection_reset) ++client_closes_;
          break;
        }
        in.erase(0, head + 4 + length);
        const Reply reply = script_(requests_++);
        asio::write(s, asio::buffer(reply.bytes), ec);
        if (ec || reply.close_after) break;
      }
      s.close(ec);
    }
  }

  std::function<Reply(int)> script_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0}, client_closes_{0};
  int requests_ = 0;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

ClientOptions one_attempt() {
  ClientOptions o;
  o.timeout = milliseconds(3000);
  o.max_attempts = 1;
  return o;
}

TEST(ClientPool, ConnectionCloseHttp10AndEofBodiesAreNotReusedChunkedIs) {
  ScriptedServer server([](int n) -> ScriptedServer::Reply {
    switch (n) {
      case 0:  // the server says it closes
        return {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", true};
      case 1:  // HTTP/1.0, even with keep-alive: left open, the client must close it
        return {"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"};
      case 2:  // a body delimited by the end of the connection
        return {"HTTP/1.1 200 OK\r\n\r\nok", true};
      default:  // chunked, kept alive
        return {
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\no\r\n1\r\nk\r\n0\r\n\r\n"};
    }
  });
  IoThread io;
  auto pool = std::make_unique<ClientPool>(io.io());
  for (int i = 0; i < 5; ++i) {
    const auto r = pooled(io, *pool, "POST", server.url(), one_attempt());
    ASSERT_TRUE(r.ok()) << i << ": " << r.error;
    EXPECT_EQ(r.body, "ok") << i;
  }
  EXPECT_EQ(server.accepted(), 4);  // 0, 1, 2 each on their own; 3 and 4 share one
  const PoolStats st = stats_of(io, *pool);
  EXPECT_EQ(st.reuses, 1u);
  EXPECT_EQ(st.stale_retries, 0u);
  io.run_sync([&] {
    pool.reset();
    return 0;
  });
}

TEST(ClientPool, AConnectionTheServerClosedWhileIdleIsRetriedSilentlyOnce) {
  // Answer 0 keeps the connection alive by its headers, then the server closes it anyway
  // (its keep-alive timeout): the pooled connection is dead when request 1 takes it.
  ScriptedServer server([](int n) {
    ScriptedServer::Reply r = ScriptedServer::keep_alive("r" + std::to_string(n));
    r.close_after = n == 0;
    return r;
  });
  IoThread io;
  auto pool = std::make_unique<ClientPool>(io.io());
  ASSERT_TRUE(pooled(io, *pool, "POST", server.url(), one_attempt()).ok());
  std::this_thread::sleep_for(milliseconds(50));  // the close has reached us
  const auto r = pooled(io, *pool, "POST", server.url(), one_attempt());
  ASSERT_TRUE(r.ok()) << r.error;  // with max_attempts 1: the re-send was not an attempt
  EXPECT_EQ(r.body, "r1");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(server.accepted(), 2);
  PoolStats st = stats_of(io, *pool);
  EXPECT_EQ(st.reuses, 1u);
  EXPECT_EQ(st.stale_retries, 1u);
  // close() drops the idle connections.
  io.run_sync([&] {
    pool->close();
    return 0;
  });
  st = stats_of(io, *pool);
  EXPECT_EQ(st.idle, 0u);
  io.run_sync([&] {
    pool.reset();
    return 0;
  });
}

TEST(ClientPool, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ScriptedServer server([](int) { return ScriptedServer::keep_alive(); });
  IoThread io;
  PoolOptions po;
  po.idle_timeout = milliseconds(150);
  auto pool = std::make_unique<ClientPool>(io.io(), po);
  ASSERT_TRUE(pooled(io, *pool, "POST", server.url(), one_attempt()).ok());
  const auto pooled_at = std::chrono::steady_clock::now();
  EXPECT_EQ(stats_of(io, *pool).idle, 1u);
  while (server.client_closes() == 0 &&
         std::chrono::steady_clock::now() - pooled_at < std::chrono::seconds(3))
    std::this_thread::sleep_for(milliseconds(10));
  const auto closed_after = std::chrono::steady_clock::now() - pooled_at;
  EXPECT_EQ(server.client_closes(), 1);
  EXPECT_GE(closed_after, milliseconds(100));
  EXPECT_LT(closed_after, milliseconds(2000));
  EXPECT_EQ(stats_of(io, *pool).idle, 0u);
  ASSERT_TRUE(pooled(io, *pool, "POST", server.url(), one_attempt()).ok());
  EXPECT_EQ(server.accepted(), 2);
  io.run_sync([&] {
    pool.reset();
    return 0;
  });
}

TEST(ClientPool, AnOversizedResponseIsAnErrorAndItsConnectionIsNotPooled) {
  ScriptedServer server(
      [](int n) { return ScriptedServer::keep_alive(n < 2 ? std::string(100, 'z') : "ok"); });
  ClientOptions o = one_attempt();
  o.max_response_bytes = 10;
  // The one-shot client enforces the limit too (checked on the head, before the body).
  const auto one_shot = request("POST", server.url(), {}, "x", o);
  EXPECT_EQ(one_shot.status, 0);
  EXPECT_NE(one_shot.error.find("body limit"), std::string::npos) << one_shot.error;
  IoThread io;
  auto pool = std::make_unique<ClientPool>(io.io());
  const auto big = pooled(io, *pool, "POST", server.url(), o);
  EXPECT_FALSE(big.ok());
  EXPECT_EQ(big.status, 0);
  EXPECT_NE(big.error.find("no response from 127.0.0.1:"), std::string::npos) << big.error;
  EXPECT_EQ(stats_of(io, *pool).idle, 0u);
  const auto r = pooled(io, *pool, "POST", server.url(), o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(server.accepted(), 3);
  EXPECT_EQ(stats_of(io, *pool).reuses, 0u);
  io.run_sync([&] {
    pool.reset();
    return 0;
  });
}

}  // namespace
}  // namespace faultline::http
