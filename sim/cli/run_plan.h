// `faultline run` in two steps, so one process, a shard and every rank of an MPI job go
// through the same code: prepare() resolves the command line into a RunPlan — the
// validated Experiment, the output paths, the shard and its wave — before anything runs,
// and carry_out() runs it on the executor it is given (this process's threads, or the
// ranks of an MPI job) and writes the outputs (results and report, or the shard file).
#pragma once

#include <boost/program_options.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "sim/cli/results_output.h"
#include "sim/cli/terminal.h"
#include "sim/pipeline/experiment.h"
#include "sim/pipeline/resources.h"
#include "sim/scaleout/mpi_launch.h"
#include "sim/scaleout/shard.h"

namespace faultline::cli {

struct RunPlan {
  std::optional<Experiment> experiment;
  OutputPaths paths;
  bool profile = false;
  bool dry_run = false;
  std::optional<ShardChoice> shard;  // --shard: run only this shard of `wave`
  Wave wave;
  std::filesystem::path shard_file;
  std::optional<Terminal> term;  // --quiet, --json, colour
  ResourceEstimate estimate;     // printed before the first run (docs/reliability.md)
};

// Validates everything (`check_paths`: the output paths too; only the rank that writes).
// `mpi` tells the default --jobs: the CPUs this rank may use, shared with the ranks on
// its host.
RunPlan prepare_run(const boost::program_options::variables_map& vm, const std::string& file,
                    bool check_paths, const MpiLaunch& mpi);

// An executor that reports progress and honours cancellation through `hooks`.
using ExecutorFor = std::function<Experiment::UnitExecutor(const RunHooks& hooks)>;

// Runs the plan and writes its outputs; returns the exit code. `before_writing` runs once
// every unit is done (an MPI job lets its other ranks go); `ranks` is for --profile.
int carry_out(const RunPlan& plan, const ExecutorFor& executor_for,
              const std::function<void()>& before_writing, int ranks);

// `mpirun -np N faultline run ...` (cmd_run_mpi.cc; without MPI, a clear refusal when N > 1).
int run_under_mpi(const boost::program_options::variables_map& vm, const std::string& file,
                  const MpiLaunch& launch);

}  // namespace faultline::cli
