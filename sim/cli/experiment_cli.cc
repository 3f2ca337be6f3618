#include "sim/cli/experiment_cli.h"

#include <cstdio>
#include <iostream>

#include "sim/cli/interrupt.h"

namespace faultline::cli {

std::string plan_line(const Experiment& e) {
  const Scenario& s = e.scenario();
  const bool sequential = s.precision.enabled() && !e.options().only_replication;
  return "faultline: " + s.name + ": " + std::to_string(e.points().size()) +
         (s.sweep.enabled() ? " points × " : " point × ") + std::to_string(s.strategies.size()) +
         " strategies × " + std::to_string(e.first_round()) +
         (sequential ? "+ replications (until precise, at most " +
                           std::to_string(s.precision.max_replications) + ")"
                     : std::string(" replications")) +
         ", " + std::to_string(s.population.borrowers) + " borrowers, seed " +
         std::to_string(s.seed) + ", " + std::to_string(e.options().jobs) + " jobs\n";
}

RunHooks cli_hooks(Progress& progress, const std::string& name) {
  RunHooks hooks;
  hooks.on_progress = [&progress](std::size_t done, std::size_t planned) {
    progress.update(done, planned);
  };
  hooks.on_round = [name](int done, int next, const std::string& why) {
    std::cerr << "faultline: " << name << ": " << why << " after " << done
              << " replications; extending to " << next << "\n";
  };
  hooks.cancel = &interrupt_flag();
  return hooks;
}

std::string precision_line(const PrecisionOutcome& p) {
  std::string out = "faultline: precision targets " + std::string(p.met ? "met" : "NOT met") +
                    " after " + std::to_string(p.replications) + " replications (max " +
                    std::to_string(p.max_replications) + "):";
  char buf[160];
  for (const TargetOutcome& t : p.targets) {
    std::snprintf(buf, sizeof buf, " %s half-width %.4g (target %s)%s", t.target.metric.c_str(),
                  t.achieved, t.target.as_written.c_str(), t.met ? "" : " ✗");
    out += buf;
  }
  return out + "\n";
}

void add_force_option(boost::program_options::options_description& opts) {
  opts.add_options()("force",
                     "run even when the resource estimate exceeds the machine's memory or "
                     "limits.max_events (docs/reliability.md)");
}

}  // namespace faultline::cli
