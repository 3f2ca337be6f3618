// The control API over HTTP on 127.0.0.1, checked against Toxiproxy 2.x's behaviour
// (api.go, proxy_collection.go, toxic_collection.go): routes, JSON shapes and key order,
// defaults, status codes and error bodies — and where faultline is stricter on bad input
// (a field named, never a 500).
#include <gtest/gtest.h>

#include "adapters/http/client.h"
#include "tests/adapters/proxy_fixture.h"

namespace faultline::testing {
namespace {

using nlohmann::json;

struct Reply {
  int status;
  std::string body;
  std::string type;
  json value() const { return json::parse(body); }
};

class ApiTest : public ProxyTest {
 protected:
  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& user_agent = "faultline-test") {
    http::Headers h;
    h.set("User-Agent", user_agent);
    if (!body.empty()) h.set("Content-Type", "application/json");
    http::ClientOptions o;
    o.timeout = std::chrono::seconds(5);
    const auto r = http::request(method, api_url(path), h, body, o);
    EXPECT_TRUE(r.error.empty()) << r.error;
    return {r.status, r.body, r.headers.value_or("Content-Type", "")};
  }
  std::string echo_upstream() const { return "127.0.0.1:" + std::to_string(upstream_->port()); }
};

TEST_F(ApiTest, CreateListShowDeleteAProxy) {
  const auto created =
      call("POST", "/proxies",
           R"({"name":"redis","listen":"localhost:0","upstream":")" + echo_upstream() + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.type, "application/json");
  const json p = created.value();
  // Go's field order: name, listen, upstream, enabled, toxics; listen resolved.
  EXPECT_EQ(created.body.rfind(R"({"name":"redis","listen":"127.0.0.1:)", 0), 0u) << created.body;
  EXPECT_EQ(p["enabled"], true);
  EXPECT_EQ(p["toxics"], json::array());
  EXPECT_EQ(call("GET", "/proxies/redis").value(), p);
  const json all = call("GET", "/proxies").value();
  ASSERT_TRUE(all.contains("redis"));
  EXPECT_EQ(all["redis"], p);
  const auto deleted = call("DELETE", "/proxies/redis");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(call("GET", "/proxies").body, "{}");
}

TEST_F(ApiTest, ErrorsHaveToxiproxysCodesAndBodies) {
  auto r = call("POST", "/proxies", R"({"listen":"127.0.0.1:0","upstream":"x:1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "{\"error\":\"missing required field: name\",\"status\":400}\n");
  EXPECT_EQ(r.type, "text/plain; charset=utf-8");  // what Go's http.Error sends
  r = call("POST", "/proxies", R"({"name":"a","listen":"127.0.0.1:0"})");
  EXPECT_EQ(r.value()["error"], "missing required field: upstream");
  const std::string ok =
      R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}";
  EXPECT_EQ(call("POST", "/proxies", ok).status, 201);
  r = call("POST", "/proxies", ok);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.value()["error"], "proxy already exists");
  r = call("GET", "/proxies/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "{\"error\":\"proxy not found\",\"status\":404}\n");
  r = call("DELETE", "/proxies/nope");
  EXPECT_EQ(r.status, 404);
  r = call("POST", "/proxies/a/toxics", R"({"type":"latency","stream":"walrustream"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.value()["error"], "stream was invalid, can be either upstream or downstream");
  r = call("GET", "/proxies/a/toxics/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.value()["error"], "toxic not found");
  r = call("GET", "/no/such/route");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "404 page not found\n");
  EXPECT_EQ(call("PUT", "/proxies").status, 405);
  r = call("GET", "/proxies", "", "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, "User agent not allowed\n");
}

TEST_F(ApiTest, BadInputNamesTheFieldAndNeverCrashes) {
  const std::string ok =
      R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}";
  ASSERT_EQ(call("POST", "/proxies", ok).status, 201);
  struct Case {
    std::string path, body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"/proxies", "", 400, "bad request body: EOF"},
      {"/proxies", "{\"name\":", 400, "bad request body"},
      {"/proxies", R"({"name":5,"upstream":"x:1"})", 400, "field name must be a string"},
      {"/proxies", R"({"name":"b","listen":"local373","upstream":"x:1"})", 400,
       "bad listen address 'local373'"},
      {"/proxies", R"({"name":"b","listen":"127.0.0.1:0","upstream":"nowhere"})", 400,
       "bad upstream address 'nowhere'"},
      {"/proxies", R"({"name":"b","listen":"256.1.1.1:0","upstream":"x:1"})", 400,
       "bad listen address '256.1.1.1:0'"},
      {"/proxies/a/toxics", R"({"type":"latncy"})", 400, "invalid toxic type: 'latncy'"},
      {"/proxies/a/toxics", R"({"type":"latency","attributes":{"latncy":1}})", 400,
       "unknown attribute 'latncy' for toxic type latency (expected latency, jitter)"},
      {"/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":"slow"}})", 400,
       "attribute latency of latency must be a number"},
      {"/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":-5}})", 400,
       "attribute latency of latency must be in [0, ∞]"},
      {"/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":1.5}})", 400,
       "must be a whole number"},
      {"/proxies/a/toxics", R"({"type":"latency","toxicity":2})", 400,
       "toxicity must be in [0, 1]"},
      {"/proxies/a/toxics",
       R"({"type":"slicer","attributes":{"average_size":4,"size_variation":4}})", 400,
       "size_variation of slicer must be less than average_size"},
      {"/proxies/a/toxics", R"([1,2])", 400, "a toxic must be a JSON object"},
      {"/populate", R"({"name":"x"})", 400, "into a list of proxies"},
  };
  for (const Case& c : cases) {
    const auto r = call("POST", c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.body;
    EXPECT_NE(r.body.find(c.says), std::string::npos) << c.body << " → " << r.body;
  }
  EXPECT_EQ(call("GET", "/proxies/a").status, 200);  // still serving
}

TEST_F(ApiTest, APortInUseIsAConflictNamingTheAddress) {
  const auto first =
      call("POST", "/proxies",
           R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}");
  const std::string listen = first.value()["listen"];
  const auto r = call("POST", "/proxies",
                      R"({"name":"b","listen":")" + listen + R"(","upstream":"127.0.0.1:1"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.value()["error"].get<std::string>().find("listen tcp " + listen), std::string::npos)
      << r.body;
  EXPECT_EQ(call("GET", "/proxies/b").status, 404);  // not half-made
}

TEST_F(ApiTest, ToxicsHaveToxiproxysDefaultsShapeAndCodes) {
  call("POST", "/proxies",
       R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}");
  const auto created =
      call("POST", "/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":100}})");
  EXPECT_EQ(created.status, 200);  // Toxiproxy: 200, not 201
  EXPECT_EQ(
      created.body,
      R"({"attributes":{"latency":100,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1})");
  auto r = call("POST", "/proxies/a/toxics", R"({"type":"latency"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.value()["error"], "toxic already exists");
  r = call("POST", "/proxies/a/toxics",
           R"({"name":"cut","type":"bandwidth","stream":"Upstream","toxicity":0.25})");
  EXPECT_EQ(
      r.body,
      R"({"attributes":{"rate":0},"name":"cut","type":"bandwidth","stream":"Upstream","toxicity":0.25})");
  // Upstream toxics list first (Toxiproxy's chain order).
  const json list = call("GET", "/proxies/a/toxics").value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "cut");
  EXPECT_EQ(list[1]["name"], "latency_downstream");
  EXPECT_EQ(call("GET", "/proxies/a").value()["toxics"], list);
  // Update: partial attributes, toxicity kept unless given; POST (deprecated) and PATCH.
  r = call("PATCH", "/proxies/a/toxics/latency_downstream", R"({"attributes":{"jitter":5}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.value()["attributes"], json({{"latency", 100}, {"jitter", 5}}));
  r = call("POST", "/proxies/a/toxics/cut", R"({"toxicity":1})");
  EXPECT_EQ(r.value()["toxicity"], 1);
  EXPECT_EQ(call("PATCH", "/proxies/a/toxics/nope", "{}").status, 404);
  EXPECT_EQ(call("DELETE", "/proxies/a/toxics/cut").status, 204);
  EXPECT_EQ(call("DELETE", "/proxies/a/toxics/cut").status, 404);
  EXPECT_EQ(call("GET", "/proxies/a/toxics/latency_downstream").value()["attributes"]["jitter"], 5);
}

TEST_F(ApiTest, PopulateCreatesReplacesAndKeeps) {
  const std::string up = echo_upstream();
  auto r = call("POST", "/populate",
                R"([{"name":"one","listen":"127.0.0.1:0","upstream":")" + up +
                    R"("},{"name":"two","listen":"127.0.0.1:0","upstream":")" + up +
                    R"(","enabled":false}])");
  EXPECT_EQ(r.status, 201);
  json out = r.value();
  ASSERT_EQ(out["proxies"].size(), 2u);
  EXPECT_EQ(out["proxies"][0]["name"], "one");
  EXPECT_EQ(out["proxies"][1]["enabled"], false);
  EXPECT_FALSE(out.contains("error"));
  const std::string one_listen = out["proxies"][0]["listen"];
  call("POST", "/proxies/one/toxics", R"({"type":"latency"})");
  // Same listen and upstream: kept, toxic and all.
  r = call("POST", "/populate",
           R"([{"name":"one","listen":")" + one_listen + R"(","upstream":")" + up + R"("}])");
  EXPECT_EQ(r.value()["proxies"][0]["toxics"].size(), 1u);
  // A missing name: nothing made, Toxiproxy's message.
  r = call("POST", "/populate", R"([{"name":"three","upstream":"x:1"},{"upstream":"x:1"}])");
  EXPECT_EQ(r.status, 400);
  // Go marshals the embedded error's fields first.
  EXPECT_EQ(r.body,
            R"({"error":"missing required field: name at proxy 2","status":400,"proxies":null})");
  EXPECT_EQ(call("GET", "/proxies/three").status, 404);
  EXPECT_EQ(call("POST", "/populate", "[]").body, R"({"proxies":null})");
}

TEST_F(ApiTest, ResetEnablesEverythingAndDropsEveryToxic) {
  call("POST", "/proxies",
       R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}");
  call("POST", "/proxies/a/toxics", R"({"type":"timeout"})");
  call("POST", "/proxies/a", R"({"enabled":false})");
  EXPECT_EQ(call("GET", "/proxies/a").value()["enabled"], false);
  const auto r = call("POST", "/reset");
  EXPECT_EQ(r.status, 204);
  const json a = call("GET", "/proxies/a").value();
  EXPECT_EQ(a["enabled"], true);
  EXPECT_EQ(a["toxics"], json::array());
}

TEST_F(ApiTest, UpdateMovesAProxyAndKeepsItsToxics) {
  call("POST", "/proxies",
       R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}");
  call("POST", "/proxies/a/toxics", R"({"type":"latency"})");
  const auto r = call("PATCH", "/proxies/a", R"({"listen":"127.0.0.1:0"})");  // a new port
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.value()["toxics"].size(), 1u);
  const std::string listen = r.value()["listen"];
  RawClient c(static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1))));
  c.send("m");
  EXPECT_EQ(c.receive(1), "m");
}

TEST_F(ApiTest, VersionAndMetrics) {
  auto r = call("GET", "/version");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.type, "application/json;charset=utf-8");
  EXPECT_EQ(r.value()["version"].get<std::string>().rfind("2.12.0+faultline.", 0), 0u);
  call("POST", "/proxies",
       R"({"name":"a","listen":"127.0.0.1:0","upstream":")" + echo_upstream() + "\"}");
  call("POST", "/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":1}})");
  const std::string listen = call("GET", "/proxies/a").value()["listen"];
  {
    RawClient c(static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1))));
    c.send("hello");
    EXPECT_EQ(c.receive(5), "hello");
  }
  r = call("GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  const std::string labels =
      "proxy=\"a\",listener=\"" + listen + "\",upstream=\"" + echo_upstream() + "\"";
  EXPECT_NE(
      r.body.find("toxiproxy_proxy_received_bytes_total{direction=\"upstream\"," + labels + "} 5"),
      std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find("toxiproxy_proxy_sent_bytes_total{direction=\"downstream\"," + labels + "} 5"),
      std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("faultline_proxy_connections_total{" + labels + "} 1"), std::string::npos);
  EXPECT_NE(r.body.find("faultline_proxy_toxic_activations_total{" + labels +
                        ",toxic=\"latency_downstream\",type=\"latency\"} 1"),
            std::string::npos)
      << r.body;
}

}  // namespace
}  // namespace faultline::testing

namespace faultline::testing {
namespace {

TEST(ProxySafety, WarnsWhenAProxyOrTheApiIsNotOnLoopback) {
  // 192.0.2.1 (TEST-NET-1) is on no interface: binding fails, so no test ever listens
  // beyond loopback, and the warning comes before the bind.
  IoThread io;
  std::vector<std::string> lines;
  proxy::ServerOptions o;
  o.api_host = "192.0.2.1";
  o.api_port = 0;
  o.log = [&](const std::string& line) { lines.push_back(line); };
  auto server = std::make_unique<proxy::ProxyServer>(io.io(), o);
  const std::string refused = io.run_sync([&]() -> std::string {
    try {
      server->start();
    } catch (const http::ListenError& e) {
      return e.what();
    }
    return "";
  });
  EXPECT_NE(refused.find("192.0.2.1:0"), std::string::npos) << refused;
  const int status = io.run_sync([&] {
    try {
      server->proxies().create(
          {{"name", "open"}, {"listen", "192.0.2.1:0"}, {"upstream", "127.0.0.1:1"}});
    } catch (const proxy::ApiError& e) {
      return e.status;
    }
    return 0;
  });
  EXPECT_EQ(status, 400);
  io.run_sync([&] {
    server->proxies().create(
        {{"name", "closed"}, {"listen", "127.0.0.1:0"}, {"upstream", "127.0.0.1:1"}});
    return 0;
  });
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("control API listens on 192.0.2.1:0, which is not loopback"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("proxy open listens on 192.0.2.1:0, which is not loopback"),
            std::string::npos)
      << lines[1];
  io.run_sync([&] {
    server.reset();
    return 0;
  });
}

}  // namespace
}  // namespace faultline::testing
