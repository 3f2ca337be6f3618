// Parsing and validation of what the SimGrid engine needs from a scenario: the top-level
// `engine` key, `infrastructure.network` (or `infrastructure.platform`), and the rule
// that network-level faults and mitigations need `engine: simgrid`. Errors are
// ScenarioErrors with file:line:col like the rest of the parser. See network.h for the
// types and docs/engines.md for the format.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/network.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/units.h"
#include "sim/scenario/yaml_reader.h"

namespace faultline {

// Plug-ins that act on the network and exist only in the SimGrid engine. The native
// engine rejects a scenario that uses one ("link_outage needs engine: simgrid") rather
// than ignoring it: a fault silently not applied is a scenario silently wrong.
inline constexpr std::array<std::string_view, 6> kNetworkPlugins = {
    "link_outage",       "link_degradation", "bulk_transfer",
    "rate_limit_export", "dedicated_link",   "stage_replay"};
bool is_network_plugin(std::string_view name);

// "100Mbps", "1Gbps", "12.5MBps", "500kbps" → bytes per second (SI prefixes; bps = bits).
Parsed<double> parse_bandwidth(std::string_view text);
// "2000", "2KB", "500GB", "4KiB" → bytes (KB = 1000, KiB = 1024).
Parsed<double> parse_size_bytes(std::string_view text);
Parsed<EngineKind> parse_engine_name(std::string_view text);

// `engine:` at the top level (absent = native).
void parse_engine(const YamlReader& y, const YAML::Node& root, Scenario& s);
// `network:` and `platform:` inside `infrastructure` (either, not both).
void parse_network(const YamlReader& y, const YAML::Node& infrastructure, Scenario& s);
// After the whole scenario is parsed, and again after `--engine` overrides it: network
// plug-ins need the SimGrid engine; their link and host names and sizes must resolve.
void validate_engine(const Scenario& s, const std::string& file);

// The platform (network.cc): hosts, links (defaults + declared), and the links of the
// route between two hosts (declared, or access–backbone–access).
std::vector<std::string> network_hosts(const Scenario& s);
std::vector<LinkSpec> network_links(const Scenario& s);
std::vector<std::string> network_route(const Scenario& s, std::string_view from,
                                       std::string_view to);

}  // namespace faultline
