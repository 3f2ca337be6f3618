// The SimGrid engine's module (module.h): the child's work, with SimGrid. Built as
// libfaultline_simgrid.so and loaded by run_simgrid (engine.cc) only when a scenario uses
// the SimGrid engine.
#include "sim/engines/simgrid/module.h"

#include <xbt/log.h>

#include <cstdio>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/engines/simgrid/engine.h"
#include "sim/engines/simgrid/platform.h"
#include "sim/engines/simgrid/transport.h"
#include "sim/engines/simgrid/wire.h"
#include "sim/plugins/plugins.h"

namespace faultline {

namespace {

// The child's work, in the fresh process.
SimgridRunOutput simulate(const Scenario& s, const Population& population,
                          const StrategySpec& strategy, std::uint64_t run_seed, bool log) {
  // Before the engine exists, so even its configuration messages stay quiet.
  if (!log) xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "faultline";
  char* argv[] = {name, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);
  World world(s, population, run_seed);
  world.configure(strategy);
  const NetworkPlan plan = plan_network(strategy, world.schedule());
  simgrid_engine::Platform platform(engine, s, plan);
  simgrid_engine::SimgridTransport transport(engine, platform, world.kernel());
  world.set_transport(&transport);
  SimgridRunOutput out;
  out.run = world.run();
  out.network_lost = world.network_lost();
  out.comms = transport.comms_started();
  out.lost_at_start = transport.lost_at_start();
  out.late_starts = transport.late_starts();
  if (log)
    std::fprintf(stderr,
                 "simgrid: strategy %s, run seed %llu: %llu transfers, %u lost by the network "
                 "(%llu at start), %llu late starts\n",
                 strategy.name.c_str(), static_cast<unsigned long long>(run_seed),
                 static_cast<unsigned long long>(out.comms), out.network_lost,
                 static_cast<unsigned long long>(out.lost_at_start),
                 static_cast<unsigned long long>(out.late_starts));
  return out;
}

}  // namespace

}  // namespace faultline

// The entry point (module.h), exported by name even when the build hides symbols.
extern "C" __attribute__((visibility("default"))) void faultline_simgrid_child(
    const faultline::Scenario& s, const faultline::Population& population,
    const faultline::StrategySpec& strategy, std::uint64_t run_seed, bool log, std::string& bytes) {
  using namespace faultline;
  using simgrid_engine::WireStatus;
  try {
    bytes = simgrid_engine::encode_output(simulate(s, population, strategy, run_seed, log));
  } catch (const ScenarioError& e) {
    bytes =
        simgrid_engine::encode_error(WireStatus::kScenarioError, e.message(), e.file(), e.loc());
  } catch (const RunLimitError& e) {
    bytes = simgrid_engine::encode_error(WireStatus::kRunLimit, e.what());
  } catch (const std::exception& e) {
    bytes = simgrid_engine::encode_error(WireStatus::kInternal, e.what());
  } catch (...) {
    bytes = simgrid_engine::encode_error(WireStatus::kInternal,
                                         "unknown exception in the SimGrid engine");
  }
}
