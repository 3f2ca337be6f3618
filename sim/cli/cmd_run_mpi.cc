// `mpirun -np N faultline run SCENARIO ...`: every rank validates the same experiment;
// if any rank cannot (a file it cannot read, a bad option), the first failing rank says
// why and every rank exits with its code. Ranks that read different scenarios or run
// different builds are refused. Then rank 0 runs the pipeline — or a shard — with the
// units spread over every rank (sim/scaleout/mpi_pool.h) and alone writes the outputs;
// the other ranks run what it sends them. Built only when CMake finds MPI.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/failure.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/run_plan.h"
#include "sim/scaleout/mpi_pool.h"

namespace faultline::cli {

int run_under_mpi(const boost::program_options::variables_map& vm, const std::string& file,
                  const MpiLaunch& launch) {
  MpiPool pool;
  const bool root = pool.rank() == 0;
  std::optional<RunPlan> plan;
  std::string message;
  int code = 0;
  try {
    plan.emplace(prepare_run(vm, file, root, launch));
  } catch (...) {
    code = describe_failure("run", message);
  }
  const MpiPool::Verdict verdict = pool.agree(code);
  if (verdict.rank >= 0) {
    if (pool.rank() == verdict.rank)
      std::cerr << (verdict.rank == 0
                        ? ""
                        : "[rank " + std::to_string(verdict.rank) + " on " + pool.host() + "] ")
                << message;
    return verdict.code;
  }
  const Study study = study_of(*plan->experiment);
  const int other = pool.first_different(fingerprint(study));
  if (other >= 0) {
    if (root)
      std::cerr << "faultline run: rank " << other
                << " read another study than rank 0 (a different scenario file, options or "
                   "faultline build on its host); every rank must run the same\n";
    return kExitBadInput;
  }
  pool.share_threads(plan->experiment->options().jobs);
  if (!root) {
    pool.serve(*plan->experiment, &interrupt_flag());
    return kExitOk;
  }
  const Experiment& e = *plan->experiment;
  const ExecutorFor ranks = [&](const RunHooks& hooks) -> Experiment::UnitExecutor {
    return [&, hooks](std::span<const WorkUnit> units, std::size_t planned) {
      return pool.execute(e, units, planned, hooks);
    };
  };
  // The other ranks go as soon as the last result is in; rank 0 writes alone. On any
  // failure the pool's destructor stops them instead (their units cancelled).
  return carry_out(
      *plan, ranks, [&] { pool.finish(true); }, pool.size());
}

}  // namespace faultline::cli
