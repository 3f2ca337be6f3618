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
// plug-ins (PluginInfo::network) need the SimGrid engine — the native engine rejects a
// scenario that uses one ("link_outage needs engine: simgrid") rather than ignoring it:
// a fault silently not applied is a scenario silently wrong — and each plug-in's own
// check (PluginInfo::validate: link and host names, sizes; for the others, e.g.
// gateway_outage's `per:` and `affected_share:`, on either engine) must pass.
void validate_engine(const Scenario& s, const std::string& file);

// For network plug-ins' checks. Each throws a ScenarioError at the parameter (or the
// plug-in's line) naming what is known. With a platform file the names are the file's:
// the SimGrid engine checks them when it loads it, so require_link/require_host accept any.
[[noreturn]] void fail_param(const PluginUse& use, std::string_view param, const std::string& file,
                             const std::string& message);
void require_link(const PluginUse& use, std::string_view param, const Scenario& s,
                  const std::string& file);
void require_host(const PluginUse& use, std::string_view param, const Scenario& s,
                  const std::string& file);
void require_parses(const PluginUse& use, std::string_view param,
                    Parsed<double> (*parser)(std::string_view), const std::string& file);

// The platform (network.cc): hosts, links (defaults + declared), and the links of the
// route between two hosts (declared, or access–backbone–access).
std::vector<std::string> network_hosts(const Scenario& s);
std::vector<LinkSpec> network_links(const Scenario& s);
std::vector<std::string> network_route(const Scenario& s, std::string_view from,
                                       std::string_view to);

}  // namespace faultline
