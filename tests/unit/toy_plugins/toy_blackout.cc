// toy_blackout: a fault added from this one file (tests/unit/plugin_toy_test.cc): every
// reminder channel is off for each window of its schedule. Built as the real plug-ins are
// (a globbed folder linked whole by faultline_plugins() in CMake), nothing else names it.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {
namespace {

void apply(const ScheduledFault& f, World& world) {
  for (const Window& w : f.windows) world.pause_channel(-1, w, false);
}

const RegisterFault registered{{{.name = "toy_blackout",
                                 .summary = "every reminder channel is off (a test's toy)",
                                 .params = with_schedule({}, "1h"),
                                 .effect = "no reminder goes out in the window",
                                 .calibration = "none: a toy"},
                                apply}};

}  // namespace
}  // namespace faultline
