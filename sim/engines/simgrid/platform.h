// The SimGrid platform of one run: the scenario's hosts, links and routes (or its
// platform XML file), with the run's network plan (sim/scenario/network_plan.h: what the
// network-level faults and the strategy's network mitigations change) applied the
// SimGrid way — outages as link state profiles, degradations as bandwidth profiles, a
// rate limit as a link in front of each bulk transfer, a dedicated link as a route of its
// own. It knows no plug-in by name. Built once per process (SimGrid holds one simulation
// per process), before the first run_until.
#pragma once

#include <map>
#include <simgrid/s4u.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/network_plan.h"
#include "sim/scenario/scenario.h"

namespace faultline::simgrid_engine {

// A bulk transfer to start: `streams` transfers of bytes/streams each.
struct BulkStart {
  SimTime at;
  simgrid::s4u::Host* from;
  simgrid::s4u::Host* to;
  double bytes;
  int streams;
};

// A link change at a date, for platform files: their links are sealed when the file is
// loaded, so profiles can no longer be attached; the transport applies these in lock
// step instead (turn_off/turn_on, set_bandwidth), at the same dates.
struct LinkControl {
  SimTime at;
  simgrid::s4u::Link* link;
  enum Kind { kOff, kOn, kBandwidth } kind;
  double bandwidth = 0;  // kBandwidth: bytes/s
};

struct RouteInfo {
  std::vector<simgrid::s4u::Link*> links;
  double max_rate = 0;  // the smallest nominal bandwidth on the route: no transfer is faster
};

class Platform {
 public:
  // Sets the network model and builds the platform with the run's network plan. Throws
  // ScenarioError for names the platform file lacks.
  Platform(simgrid::s4u::Engine& engine, const Scenario& scenario, const NetworkPlan& plan);

  simgrid::s4u::Host* host(std::string_view name) const;
  const RouteInfo& route(simgrid::s4u::Host* from, simgrid::s4u::Host* to);
  const std::vector<BulkStart>& bulk() const { return bulk_; }
  const std::vector<LinkControl>& controls() const { return controls_; }

 private:
  void build_from_network();
  void load_file();
  void plan_bulk(const std::map<std::string, std::string>& source_hosts);

  simgrid::s4u::Engine& engine_;
  const Scenario& scenario_;
  const NetworkPlan& plan_;
  std::vector<BulkStart> bulk_;
  std::vector<LinkControl> controls_;
  std::map<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>, RouteInfo> routes_;
};

// Merged off windows of a link as a SimGrid state profile ("t 0\nt 1\n", seconds), and
// degradation windows as a bandwidth profile (the nominal bandwidth times the smallest
// factor of the windows in force, per date, in bytes/s). Empty when the link has none.
std::string state_profile_text(const NetworkPlan& plan, std::string_view link);
std::string bandwidth_profile_text(const NetworkPlan& plan, std::string_view link,
                                   double nominal_bytes_per_s);

}  // namespace faultline::simgrid_engine
