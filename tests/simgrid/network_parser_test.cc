// `engine:`, `infrastructure.network` and the network-only plug-ins: values, defaults,
// and file:line:col errors for what is wrong.
#include "sim/scenario/network_parser.h"

#include <gtest/gtest.h>

#include "simgrid_fixture.h"

namespace faultline {
namespace {

std::string scenario(const std::string& top, const std::string& network,
                     const std::string& faults) {
  return "scenario: net\n" + top +
         "horizon: 15d\npopulation:\n  borrowers: 1000\n  due_day: uniform(5, 8)\n"
         "channels:\n  sms: {vendors: [alpha]}\n"
         "infrastructure:\n  vendors:\n    alpha: {capacity: 100/s}\n" +
         network + "reminders:\n  - {before_due: 1d}\n" + faults + "strategies:\n  baseline: {}\n";
}

std::string error_of(const std::string& text) {
  try {
    testing::parse_text(text);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(NetworkParser, EngineDefaultsToNativeAndParses) {
  EXPECT_EQ(testing::parse_text(scenario("", "", "")).engine, EngineKind::kNative);
  EXPECT_EQ(testing::parse_text(scenario("engine: simgrid\n", "", "")).engine,
            EngineKind::kSimgrid);
  EXPECT_EQ(error_of(scenario("engine: ns3\n", "", "")),
            "test.yaml:2:9: engine: 'ns3': expected native or simgrid");
}

TEST(NetworkParser, NetworkBlock) {
  const Scenario s = testing::parse_text(scenario(
      "engine: simgrid\n",
      "  network:\n    model: LV08\n    export_record_size: 4KB\n    send_window: 45m\n"
      "    links:\n      wan: {bandwidth: 20Mbps, latency: 5ms}\n"
      "    routes:\n      - {from: core, to: notification, links: [core, wan, notification]}\n",
      ""));
  EXPECT_EQ(s.network.model, "LV08");
  EXPECT_DOUBLE_EQ(s.network.export_record_bytes, 4000);
  EXPECT_EQ(s.network.send_window, 45 * kMinute);
  ASSERT_EQ(s.network.links.size(), 1u);
  EXPECT_DOUBLE_EQ(s.network.links[0].bandwidth_bytes_per_s, 2.5e6);
  EXPECT_EQ(s.network.links[0].latency, 5 * kMillisecond);
  // Declared routes serve both directions; other pairs use the default star.
  EXPECT_EQ(network_route(s, "notification", "core"),
            (std::vector<std::string>{"notification", "wan", "core"}));
  EXPECT_EQ(network_route(s, "vendor/alpha", "carrier/default"),
            (std::vector<std::string>{"vendor/alpha", "backbone", "carrier/default"}));
}

TEST(NetworkParser, DefaultPlatformIsAStarAroundABackbone) {
  const Scenario s = testing::parse_text(scenario("", "", ""));
  EXPECT_EQ(network_hosts(s), (std::vector<std::string>{"app", "core", "notification", "payments",
                                                        "vendor/alpha", "carrier/default"}));
  const auto links = network_links(s);
  ASSERT_EQ(links.size(), 7u);
  EXPECT_EQ(links[0].name, "backbone");
  EXPECT_DOUBLE_EQ(links[2].bandwidth_bytes_per_s, kInternalBandwidth);  // core
  EXPECT_EQ(links[5].latency, kExternalLatency);                         // vendor/alpha
}

TEST(NetworkParser, ErrorsPointAtTheValue) {
  EXPECT_EQ(error_of(scenario(
                "", "  network:\n    links:\n      wan: {bandwidth: fast, latency: 5ms}\n", "")),
            "test.yaml:13:24: infrastructure.network.links.wan.bandwidth: 'fast': expected a "
            "bandwidth such as "
            "100Mbps, 1Gbps (bits) or 12.5MBps (bytes) per second");
  const std::string e = error_of(scenario(
      "", "  network:\n    routes:\n      - {from: core, to: notification, links: [core, wann]}\n",
      ""));
  EXPECT_NE(e.find("test.yaml:13:54: infrastructure.network.routes[0].links: unknown link 'wann'; "
                   "links: backbone,"),
            std::string::npos)
      << e;
  EXPECT_NE(error_of(scenario("", "  network: {}\n  platform: nowhere.xml\n", "")).find("not both"),
            std::string::npos);
  const std::string p = error_of(scenario("", "  platform: nowhere.xml\n", ""));
  EXPECT_NE(p.find("test.yaml:11:13: infrastructure.platform: no such file"), std::string::npos)
      << p;
}

TEST(NetworkParser, NetworkFaultsNeedTheSimgridEngine) {
  const std::string faults = "faults:\n  - {type: link_outage, target: backbone, at: 4d 09:00}\n";
  EXPECT_EQ(
      error_of(scenario("", "", faults)),
      "test.yaml:14:5: link_outage needs engine: simgrid (the native engine has no network; add "
      "`engine: simgrid` at the top level or run with --engine simgrid)");
  EXPECT_NO_THROW(testing::parse_text(scenario("engine: simgrid\n", "", faults)));
  const std::string typo = "faults:\n  - {type: link_outage, target: backbon, at: 4d 09:00}\n";
  EXPECT_NE(error_of(scenario("engine: simgrid\n", "", typo))
                .find("link_outage.target: unknown link 'backbon' (did you mean 'backbone'?)"),
            std::string::npos);
  const std::string bulk = "faults:\n  - {type: bulk_transfer, size: lots, at: 4d}\n";
  EXPECT_NE(error_of(scenario("engine: simgrid\n", "", bulk)).find("bulk_transfer.size: 'lots'"),
            std::string::npos);
}

TEST(NetworkParser, Units) {
  EXPECT_DOUBLE_EQ(parse_bandwidth("100Mbps").value(), 1.25e7);
  EXPECT_DOUBLE_EQ(parse_bandwidth("1Gbps").value(), 1.25e8);
  EXPECT_DOUBLE_EQ(parse_bandwidth("12.5MBps").value(), 1.25e7);
  EXPECT_FALSE(parse_bandwidth("0Mbps").ok());
  EXPECT_FALSE(parse_bandwidth("100 parsecs").ok());
  EXPECT_DOUBLE_EQ(parse_size_bytes("270GB").value(), 2.7e11);
  EXPECT_DOUBLE_EQ(parse_size_bytes("4KiB").value(), 4096);
  EXPECT_DOUBLE_EQ(parse_size_bytes("2000").value(), 2000);
}

TEST(NetworkParser, NetworkPluginsSayThemselvesThatTheyNeedSimgrid) {
  // The parser and the platform know no plug-in by name: each network plug-in says
  // `network = true` and carries its engine hook (plan_network) and its checks.
  std::vector<std::string_view> network;
  for (const FaultPlugin& p : fault_registry().plugins())
    if (p.info.network) {
      network.push_back(p.info.name);
      EXPECT_NE(p.plan_network, nullptr) << p.info.name;
      EXPECT_EQ(p.apply, nullptr) << p.info.name << ": nothing in the native model";
      EXPECT_EQ(p.apply_sms, nullptr) << p.info.name;
    }
  for (const MitigationPlugin& p : mitigation_registry().plugins())
    if (p.info.network) {
      network.push_back(p.info.name);
      EXPECT_NE(p.plan_network, nullptr) << p.info.name;
    }
  EXPECT_EQ(network,
            (std::vector<std::string_view>{"bulk_transfer", "link_degradation", "link_outage",
                                           "dedicated_link", "rate_limit_export", "stage_replay"}));
  // Each is refused by the native engine, at its line.
  for (const std::string_view name : {"link_degradation", "link_outage"})
    EXPECT_NE(error_of(scenario("", "",
                                "faults:\n  - {type: " + std::string(name) +
                                    ", target: backbone, at: 4d}\n"))
                  .find(std::string(name) + " needs engine: simgrid"),
              std::string::npos)
        << name;
}

}  // namespace
}  // namespace faultline
