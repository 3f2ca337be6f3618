// How a scenario's faults become toxics on a live proxy (`faultline inject`): the one
// table that says, per fault type, which toxics stand for it while its window is open —
// docs/adapters.md prints it, and a fault type not in it has no live meaning and is
// refused by name. Only *when* faults happen is scaled by --time-scale; what a fault does
// keeps its real size — a vendor 20 s slower is 20 s slower live, a link at 10 % runs at
// 10 % of its real rate — because the traffic is a real service's, not a simulated one.
// (A backlog holds messages for the window, so its hold is the scaled window.)
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/proxy/toxic.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schedule.h"

namespace faultline::inject {

// One toxic that stands for (part of) a fault.
struct LiveToxic {
  std::string type;  // a toxic kind, e.g. "silent_drop"
  proxy::Stream stream = proxy::Stream::kUpstream;
  nlohmann::json attributes = nlohmann::json::object();
};

// A fault's live form: the --map name it applies to and the toxics it switches on.
struct LiveFault {
  std::string target;  // matched against --map NAME
  std::string mode;    // what of the fault is injected, for the timeline ("silent_drop", ...)
  std::vector<LiveToxic> toxics;
  std::vector<std::string> notes;  // parts of the fault that have no live form
};

// The table, for docs and error messages.
struct FaultMapping {
  std::string_view fault;    // fault type, with its mode where it matters
  std::string_view target;   // which parameter names the --map target
  std::string_view toxics;   // what is switched on
  std::string_view meaning;  // why that is the live form of the fault
};
const std::vector<FaultMapping>& fault_mappings();

// A fault (or a mode of one) with no live meaning for a TCP proxy.
struct NoLiveMeaning : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The live form of `fault` at `time_scale` (simulated seconds per wall second). Throws
// NoLiveMeaning, or std::invalid_argument when a needed figure is missing (a link's
// bandwidth).
LiveFault live_form(const ScheduledFault& fault, const Scenario& scenario, double time_scale);

// "vendor_outage (reject, silent_drop, backlog), vendor_degradation, ..." for messages.
std::string injectable_list();

}  // namespace faultline::inject
