// Resolves the scenario's network into the platform the SimGrid engine builds: the full
// host list, every link (defaults overridden by declared ones) and the route of any host
// pair. Kept free of SimGrid so the parser can validate names and tests can check the
// defaults without starting a simulation.
#include <algorithm>

#include "sim/scenario/network_parser.h"

namespace faultline {

std::vector<std::string> network_hosts(const Scenario& s) {
  std::vector<std::string> hosts(kFixedHosts.begin(), kFixedHosts.end());
  for (const VendorSpec& v : s.vendors) hosts.push_back("vendor/" + v.name);
  for (const CarrierSpec& c : s.carriers) hosts.push_back("carrier/" + c.name);
  return hosts;
}

namespace {
bool internal(std::string_view host) {
  return std::find(kFixedHosts.begin(), kFixedHosts.end(), host) != kFixedHosts.end();
}
}  // namespace

std::vector<LinkSpec> network_links(const Scenario& s) {
  std::vector<LinkSpec> links{{"backbone", kBackboneBandwidth, kBackboneLatency, {}}};
  for (const std::string& h : network_hosts(s)) {
    if (internal(h))
      links.push_back({h, kInternalBandwidth, kInternalLatency, {}});
    else
      links.push_back({h, kExternalBandwidth, kExternalLatency, {}});
  }
  for (const LinkSpec& declared : s.network.links) {
    auto it = std::find_if(links.begin(), links.end(),
                           [&](const LinkSpec& l) { return l.name == declared.name; });
    if (it != links.end())
      *it = declared;
    else
      links.push_back(declared);
  }
  return links;
}

std::vector<std::string> network_route(const Scenario& s, std::string_view from,
                                       std::string_view to) {
  for (const RouteSpec& r : s.network.routes) {
    if (r.from == from && r.to == to) return r.links;
    if (r.from == to && r.to == from) return {r.links.rbegin(), r.links.rend()};
  }
  return {std::string(from), "backbone", std::string(to)};
}

}  // namespace faultline
