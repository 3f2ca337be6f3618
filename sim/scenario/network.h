// The scenario's network, for the SimGrid engine: which engine runs the scenario, and
// the platform the SimGrid engine builds — links with bandwidth and latency, routes
// between the named hosts, the network model — or a SimGrid platform XML file. The
// native engine reads none of it (network time is zero there; docs/engines.md). Parsed
// by network_parser.cc from the top-level `engine` key and from `infrastructure.network`
// or `infrastructure.platform`.
//
// Hosts are named by the model, not declared: "app", "core", "notification",
// "payments", "vendor/<name>" for each SMS vendor's gateway and "carrier/<name>" for each
// carrier's SMS centre (kFixedHosts + the vendors and carriers of the scenario).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/error.h"

namespace faultline {

enum class EngineKind { kNative, kSimgrid };
inline constexpr std::array<std::string_view, 2> kEngineNames = {"native", "simgrid"};
inline std::string_view to_string(EngineKind e) {
  return kEngineNames[static_cast<std::size_t>(e)];
}

// The hosts every platform has, besides one per vendor and per carrier.
inline constexpr std::array<std::string_view, 4> kFixedHosts = {"app", "core", "notification",
                                                                "payments"};

struct LinkSpec {
  std::string name;
  double bandwidth_bytes_per_s = 0;
  SimTime latency = 0;
  SourceLoc loc;
};

// A route between two hosts through the listed links, in order; used in both directions.
struct RouteSpec {
  std::string from;
  std::string to;
  std::vector<std::string> links;
  SourceLoc loc;
};

struct NetworkSpec {
  // CM02: latency + size / bandwidth, max-min fair sharing — the textbook times a
  // scenario author writes down. LV08: SimGrid's default, with TCP correction factors
  // (latency ×13.01, bandwidth ×0.97) fitted to packet-level simulation.
  std::string model = "CM02";
  std::vector<LinkSpec> links;    // declared links; a name of a default link overrides it
  std::vector<RouteSpec> routes;  // declared routes; other pairs use the default star
  std::string platform_file;      // `platform:`, resolved against the scenario's folder
  // Size of one borrower's record in the reminder batch the core exports to the
  // notification service (name, number, amount due, template fields, consent flags).
  double export_record_bytes = 2000;
  // A batch whose export reaches the notification service later than this after its
  // scheduled time is not sent (the send slot has passed; e.g. 09:00 + 12 h = 21:00,
  // the end of the hours Regulation F §1006.6(b)(1)(i) presumes convenient).
  SimTime send_window = 12 * kHour;
  SourceLoc loc;  // of the `network`/`platform` key; {0,0} when absent
};

// Default platform (no `network:` block, or links it does not declare): a star around
// one backbone. Internal hosts (kFixedHosts) reach it through a 1 Gbps, 0.5 ms access
// link; vendor gateways and carrier SMS centres, over the internet, through 100 Mbps,
// 20 ms. The backbone: 10 Gbps, 1 ms. Each access link is named after its host.
inline constexpr double kBackboneBandwidth = 1.25e9;  // bytes/s (10 Gbps)
inline constexpr SimTime kBackboneLatency = kMillisecond;
inline constexpr double kInternalBandwidth = 1.25e8;  // 1 Gbps
inline constexpr SimTime kInternalLatency = kMillisecond / 2;
inline constexpr double kExternalBandwidth = 1.25e7;  // 100 Mbps
inline constexpr SimTime kExternalLatency = 20 * kMillisecond;

}  // namespace faultline
