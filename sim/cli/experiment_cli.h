// What `faultline run` and `faultline check` show of an experiment on stderr: the plan
// line before it runs, progress and the replication loop's rounds while it runs (with
// Ctrl-C wired to its cancellation flag), and the precision line after.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <string>

#include "sim/cli/progress.h"
#include "sim/pipeline/experiment.h"

namespace faultline::cli {

// "faultline: NAME: 1 point × 4 strategies × 20 replications, 200000 borrowers, seed S, 2 jobs"
std::string plan_line(const Experiment& e);
// Progress to `progress`, rounds as lines on stderr, cancellation on Ctrl-C.
RunHooks cli_hooks(Progress& progress, const std::string& name);
// --force: run even when the resource estimate refuses (sim/pipeline/resources.h).
void add_force_option(boost::program_options::options_description& opts);
// "faultline: precision targets met after 24 replications (max 60): ..."
std::string precision_line(const PrecisionOutcome& p);

}  // namespace faultline::cli
