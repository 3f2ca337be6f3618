// HTTP/1.1 through the proxy: the framer that finds message boundaries (unit tests on
// byte streams), then the HTTP-aware toxics over real sockets against an upstream made
// with adapters/http, on kept-alive and pipelined connections.
#include <gtest/gtest.h>

#include "adapters/http/client.h"
#include "adapters/http/server.h"
#include "adapters/proxy/http_framer.h"
#include "tests/adapters/proxy_fixture.h"

namespace faultline::testing {
namespace {

using proxy::BlockPool;
using proxy::Chunk;
using proxy::HttpExchange;
using proxy::HttpFramer;
using std::chrono::milliseconds;

struct Framed {
  std::string bytes;
  std::uint32_t message;
  bool start, end;
};

// Feeds `parts` (as separate reads) and returns the pieces.
std::vector<Framed> frame(HttpFramer& framer, BlockPool& pool,
                          const std::vector<std::string>& parts) {
  std::vector<Framed> out;
  std::vector<Chunk> pieces;
  for (const auto& part : parts) {
    pieces.clear();
    framer.feed(Chunk(pool, part, proxy::Clock::now()), pieces);
    for (auto& c : pieces)
      out.push_back({std::string(c.view()), c.message, c.message_start, c.message_end});
  }
  return out;
}

std::string join(const std::vector<Framed>& pieces) {
  std::string s;
  for (const auto& p : pieces) s += p.bytes;
  return s;
}

TEST(HttpFramer, SplitsPipelinedRequestsAtTheirBoundaries) {
  BlockPool pool;
  HttpExchange exchange;
  HttpFramer framer(HttpFramer::Role::kRequests, exchange, pool);
  const std::string a = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  const std::string b = "GET /b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string c =
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n";
  const auto pieces = frame(framer, pool, {a + b + c});
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].bytes, a);
  EXPECT_EQ(pieces[1].bytes, b);
  EXPECT_EQ(pieces[2].bytes, c);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(pieces[i].message, i);
    EXPECT_TRUE(pieces[i].start);
    EXPECT_TRUE(pieces[i].end);
  }
  EXPECT_EQ(exchange.request(1)->path, "/b");
  EXPECT_EQ(exchange.request(2)->method, "POST");
}

TEST(HttpFramer, HoldsASplitHeadAndKeepsBodyBytesInTheirMessage) {
  BlockPool pool;
  HttpExchange exchange;
  HttpFramer framer(HttpFramer::Role::kRequests, exchange, pool);
  const auto pieces = frame(framer, pool,
                            {"POST /sms HT", "TP/1.1\r\nContent-Le", "ngth: 10\r\n\r\n01234",
                             "56789GET / HTTP/1.1\r\n\r\n"});
  ASSERT_GE(pieces.size(), 3u);
  EXPECT_TRUE(pieces[0].start);  // the head went out whole, once complete
  EXPECT_NE(pieces[0].bytes.find("Content-Length: 10\r\n\r\n"), std::string::npos);
  EXPECT_EQ(join(pieces),
            "POST /sms HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(pieces.back().message, 1u);
  EXPECT_TRUE(pieces.back().start);
}

TEST(HttpFramer, GivesUpAtOnceOnOtherProtocols) {
  BlockPool pool;
  HttpExchange exchange;
  HttpFramer requests(HttpFramer::Role::kRequests, exchange, pool);
  // A Redis-style command must not be held waiting for a blank line.
  auto pieces = frame(requests, pool, {"PING\r\n"});
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].message, Chunk::kNoMessage);
  EXPECT_FALSE(requests.framing());
  HttpFramer responses(HttpFramer::Role::kResponses, exchange, pool);
  pieces = frame(responses, pool, {"220 smtp.example ESMTP\r\n"});
  EXPECT_EQ(pieces.size(), 1u);
  EXPECT_FALSE(responses.framing());
  HttpFramer tls(HttpFramer::Role::kRequests, exchange, pool);
  pieces = frame(tls, pool, {std::string("\x16\x03\x01\x02\x00", 5)});
  EXPECT_EQ(pieces.size(), 1u);
  EXPECT_FALSE(tls.framing());
}

TEST(HttpFramer, ResponsesFollowTheirRequests) {
  BlockPool pool;
  HttpExchange exchange;
  HttpFramer requests(HttpFramer::Role::kRequests, exchange, pool);
  frame(requests, pool, {"HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\n\r\n"});
  exchange.forwarded(0);
  exchange.forwarded(1);
  HttpFramer responses(HttpFramer::Role::kResponses, exchange, pool);
  // A 100 Continue, the HEAD answer (a length but no body), then a chunked one.
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n";
  const std::string get =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
  const auto pieces = frame(responses, pool, {interim + head + get});
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_FALSE(pieces[0].end);  // a 1xx does not end an exchange
  EXPECT_TRUE(pieces[1].end);
  EXPECT_EQ(pieces[2].bytes, get);
  EXPECT_EQ(exchange.response_request(pieces[2].message)->path, "/g");
  EXPECT_EQ(responses.messages_done(), 2u);
}

// An HTTP upstream that counts what it serves.
class HttpProxyTest : public ProxyTest {
 protected:
  void SetUp() override {
    ProxyTest::SetUp();
    io_.run_sync([&] {
      http::Router r;
      r.add("GET", "/{what}", [this](const http::Request& req) {
        ++served_;
        return http::Response::text(200, "served " + req.param("what"));
      });
      r.add("POST", "/{what}", [this](const http::Request& req) {
        ++served_;
        return http::Response::text(201, "took " + req.body);
      });
      upstream_http_ = std::make_unique<http::Server>(io_.io(), std::move(r));
      upstream_http_->listen();
      return 0;
    });
    port_ = make_proxy("api", upstream_http_->local_endpoint().port());
  }
  void TearDown() override {
    io_.run_sync([&] {
      upstream_http_.reset();
      return 0;
    });
    ProxyTest::TearDown();
  }
  http::ClientResponse get(const std::string& path) {
    http::ClientOptions o;
    o.timeout = std::chrono::seconds(5);
    return http::request("GET", "http://127.0.0.1:" + std::to_string(port_) + path, {}, {}, o);
  }
  std::unique_ptr<http::Server> upstream_http_;
  std::atomic<int> served_{0};
  std::uint16_t port_ = 0;
};

TEST_F(HttpProxyTest, HttpErrorAnswersMatchingRequestsAtTheDoor) {
  add_toxic("api",
            {{"type", "http_error"},
             {"stream", "upstream"},
             {"attributes", {{"status", 429}, {"retry_after", 30}, {"path_prefix", "/sms"}}}});
  const auto refused = get("/sms");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.get("Retry-After"), "30");
  EXPECT_EQ(refused.body, "Too Many Requests\n");
  const auto fine = get("/status");
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(fine.body, "served status\n");
  EXPECT_EQ(served_, 1);  // the upstream never saw /sms
}

TEST_F(HttpProxyTest, HttpErrorKeepsPipelinedAnswersInOrder) {
  add_toxic("api", {{"type", "http_error"},
                    {"stream", "upstream"},
                    {"attributes", {{"status", 503}, {"path_prefix", "/fail"}}}});
  RawClient c(port_);
  c.send(
      "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /fail HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string got = c.receive_until("served two\n");
  const auto one = got.find("served one"), fail = got.find("503 Service Unavailable"),
             two = got.find("served two");
  ASSERT_NE(one, std::string::npos) << got;
  ASSERT_NE(fail, std::string::npos) << got;
  ASSERT_NE(two, std::string::npos) << got;
  EXPECT_LT(one, fail);
  EXPECT_LT(fail, two);
  EXPECT_FALSE(c.closed());  // kept alive
  EXPECT_EQ(served_, 2);
}

TEST_F(HttpProxyTest, HttpErrorDownstreamReplacesTheAnswerAfterTheWork) {
  add_toxic("api", {{"type", "http_error"},
                    {"attributes", {{"status", 502}, {"body", "{\"error\":\"bad gateway\"}"}}}});
  http::ClientOptions o;
  o.timeout = std::chrono::seconds(5);
  const auto r =
      http::request("POST", "http://127.0.0.1:" + std::to_string(port_) + "/charge", {}, "100", o);
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(r.body, "{\"error\":\"bad gateway\"}");
  EXPECT_EQ(served_, 1);  // the charge went through: a retry would charge twice
}

TEST_F(HttpProxyTest, HttpErrorRateIsAKeyedDrawPerRequest) {
  add_toxic("api",
            {{"type", "http_error"}, {"stream", "upstream"}, {"attributes", {{"rate", 0.5}}}});
  int refused = 0;
  for (int i = 0; i < 40; ++i) refused += get("/x").status == 503;
  EXPECT_GT(refused, 8);  // Binomial(40, 0.5): outside [9, 31] has probability < 1e-4
  EXPECT_LT(refused, 32);
  EXPECT_EQ(served_, 40 - refused);
}

TEST_F(HttpProxyTest, HttpLatencyDelaysOnlyMatchingPaths) {
  add_toxic("api", {{"type", "http_latency"},
                    {"stream", "upstream"},
                    {"attributes", {{"latency", 600}, {"path_prefix", "/slow"}}}});
  auto t = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/fast").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t, milliseconds(500));
  t = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/slow").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t, milliseconds(600));
}

TEST_F(HttpProxyTest, HttpToxicsLeaveOtherProtocolsAlone) {
  add_toxic("api", {{"type", "http_error"}, {"stream", "upstream"}});
  const auto raw = make_proxy("raw");  // to the echo upstream
  add_toxic("raw", {{"type", "http_error"}, {"stream", "upstream"}});
  RawClient c(raw);
  c.send("PING\r\n");
  EXPECT_EQ(c.receive(6), "PING\r\n");
}

}  // namespace
}  // namespace faultline::testing
