// The network changes of one run (a strategy in a replication), as the network-level
// plug-ins describe them: links down or slowed over windows, bulk transfers competing for
// the links, and how the strategy shapes routes. Engine-neutral data: each network
// plug-in adds itself in its plan_network hook (sim/model/registry.h) knowing nothing of
// SimGrid, and the SimGrid engine builds its platform from the plan
// (sim/engines/simgrid/platform.cc) knowing no plug-in by name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/error.h"
#include "sim/scenario/schedule.h"

namespace faultline {

struct NetworkPlan {
  // Where a change comes from, for errors about names a platform file lacks.
  struct Origin {
    std::string plugin;  // e.g. "link_outage"
    SourceLoc loc;
  };

  // A link down (transfers on it are lost) or slowed to a share of its nominal bandwidth
  // over a window; in the order the faults are written.
  struct LinkWindow {
    enum Kind { kDown, kSlow } kind = kDown;
    std::string link;
    Window window;
    double bandwidth_share = 0;  // kSlow
    Origin origin;
  };
  std::vector<LinkWindow> links;

  // A large transfer of `bytes` in `streams` parallel streams, started at each `starts`.
  struct BulkTransfer {
    int fault = 0;  // its index in `faults:` (the SimGrid host "bulk/<fault>")
    std::string from, to;
    double bytes = 0;
    int streams = 1;
    std::vector<SimTime> starts;
    Origin origin;
  };
  std::vector<BulkTransfer> bulk;

  // How the strategy shapes bulk transfers and routes.
  struct RateLimit {
    double bytes_per_s = 0;
    Origin origin;
  };
  std::optional<RateLimit> bulk_rate_limit;  // a link of this bandwidth in front of each bulk route
  int bulk_stages = 1;      // each bulk transfer split into this many equal parts...
  SimTime stage_every = 0;  // ...started this far apart
  struct DedicatedLink {
    double bytes_per_s = 0;
    SimTime latency = 0;
    Origin origin;
  };
  std::optional<DedicatedLink> batch_link;  // a route of its own for core – notification

  bool changes_routes() const { return bulk_rate_limit.has_value() || batch_link.has_value(); }
};

}  // namespace faultline
