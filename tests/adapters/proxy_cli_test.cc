// `faultline proxy` as users run it: the binary, its config file, its errors and exit
// codes, its signals.
#include <gtest/gtest.h>

#include "adapters/http/client.h"
#include "tests/adapters/child_process.h"
#include "tests/adapters/loopback.h"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;

class ProxyCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_dir(); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::unique_ptr<Child> start(std::vector<std::string> args) {
    args.insert(args.begin(), {FAULTLINE_BINARY, "proxy"});
    return std::make_unique<Child>(args, dir_);
  }
  fs::path dir_;
};

TEST_F(ProxyCli, LoadsProxiesAndToxicsFromConfigAndStopsOnSigterm) {
  IoThread io;
  std::uint16_t upstream_port = 0;
  tcp::acceptor acceptor(io.io(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  upstream_port = acceptor.local_endpoint().port();
  const auto config = write("proxies.yaml",
                            "- name: vendor\n"
                            "  listen: 127.0.0.1:0\n"
                            "  upstream: 127.0.0.1:" +
                                std::to_string(upstream_port) +
                                "\n"
                                "  toxics:\n"
                                "    - {type: latency, attributes: {latency: 250, jitter: 10}}\n"
                                "    - {name: cut, type: http_error, stream: upstream,\n"
                                "       attributes: {status: 503, rate: 0.1}}\n");
  auto child = start({"--port", "0", "--seed", "42", "--config", config.string()});
  const std::string api = child->wait_for(R"(control API on http://(127\.0\.0\.1:\d+))");
  ASSERT_FALSE(api.empty());
  EXPECT_NE(child->out().find("vendor: 127.0.0.1:"), std::string::npos);
  EXPECT_NE(child->out().find("seed 42"), std::string::npos);
  const auto r = http::request("GET", "http://" + api + "/proxies/vendor/toxics");
  ASSERT_EQ(r.status, 200) << r.error;
  const auto toxics = nlohmann::json::parse(r.body);
  ASSERT_EQ(toxics.size(), 2u);
  EXPECT_EQ(toxics[0]["name"], "cut");  // upstream first
  EXPECT_EQ(toxics[0]["attributes"]["rate"], 0.1);
  EXPECT_EQ(toxics[1]["attributes"]["latency"], 250);
  child->signal(SIGTERM);
  EXPECT_EQ(child->wait(), 143);
  EXPECT_NE(child->out().find("stopped"), std::string::npos);
}

TEST_F(ProxyCli, SigintExits130) {
  auto child = start({"--port", "0"});
  child->wait_for(R"(control API on)");
  child->signal(SIGINT);
  EXPECT_EQ(child->wait(), 130);
}

TEST_F(ProxyCli, AMalformedConfigIsFileLineCol) {
  const auto bad =
      write("bad.json",
            "[\n  {\"name\": \"a\", \"upstream\": \"127.0.0.1:1\",\n"
            "   \"toxics\": [{\"type\": \"latency\", \"attributes\": {\"latncy\": 5}}]}\n]\n");
  auto child = start({"--port", "0", "--config", bad.string()});
  EXPECT_EQ(child->wait(), 2);
  EXPECT_NE(child->err().find(bad.string() + ":3:15: proxy a: bad request body: unknown attribute "
                                             "'latncy'"),
            std::string::npos)
      << child->err();
  const auto broken = write("broken.json", "[{\"name\": \"a\",, }]\n");
  auto second = start({"--config", broken.string()});
  EXPECT_EQ(second->wait(), 2);
  EXPECT_NE(second->err().find(broken.string() + ":1:"), std::string::npos) << second->err();
  const auto typo = write("typo.yaml", "- name: a\n  upstrem: 127.0.0.1:1\n");
  auto third = start({"--config", typo.string()});
  EXPECT_EQ(third->wait(), 2);
  EXPECT_NE(third->err().find(typo.string() + ":2:3:"), std::string::npos) << third->err();
  auto missing = start({"--config", (dir_ / "nope.json").string()});
  EXPECT_EQ(missing->wait(), 2);
  EXPECT_NE(missing->err().find("nope.json"), std::string::npos);
}

TEST_F(ProxyCli, APortInUseIsNamedAndExits2) {
  asio::io_context io;
  tcp::acceptor taken(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = std::to_string(taken.local_endpoint().port());
  auto child = start({"--port", port});
  EXPECT_EQ(child->wait(), 2);
  EXPECT_NE(child->err().find("127.0.0.1:" + port), std::string::npos) << child->err();
  EXPECT_NE(child->err().find("in use"), std::string::npos) << child->err();
}

TEST_F(ProxyCli, BadFlagsAreUsageErrors) {
  auto child = start({"--prot", "1"});
  EXPECT_EQ(child->wait(), 2);
  EXPECT_NE(child->err().find("--help"), std::string::npos) << child->err();
}

}  // namespace
}  // namespace faultline::testing
