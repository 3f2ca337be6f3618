// An experiment's work units spread over the ranks of an MPI job (`mpirun -np N faultline
// run ...`), with dynamic load balancing: units differ a lot in cost (a sweep point with
// a longer outage, a larger population), so no rank gets a fixed share. Rank 0 hands
// out one unit at a time to whichever rank — itself included — has a free thread, in the
// canonical order, and gathers every result; it runs the pipeline's replication loop
// (Experiment::run with execute() as its executor), so sequential precision works across
// ranks, and it alone writes the outputs. Each rank runs `--jobs` threads.
//
// Only each process's main thread calls MPI (MPI_THREAD_FUNNELED); it polls without
// spinning (Open MPI's blocking calls spin a core, which the rank's own threads need)
// and passes units and results to its threads through a queue. A unit's result travels
// in the shard files' lossless encoding (unit_codec.h), so gathered results give the
// single process's bytes.
//
// Failure: a rank whose unit throws reports it to rank 0, which stops every rank (their
// running units are cancelled between runs) and fails with the rank, host, unit and
// message; a rank that dies is noticed by mpirun, which ends the job. Rank 0 writes
// outputs only after the last result, atomically, so a failed job leaves none.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/pipeline/experiment.h"

namespace faultline {

// A failure elsewhere in the job, as rank 0 reports it: the exit code the failure calls
// for (2 a run limit, 3 an internal error, 130 a rank interrupted) and what happened.
struct RankFailure : std::runtime_error {
  RankFailure(int code, const std::string& message)
      : std::runtime_error(message), exit_code(code) {}
  int exit_code;
};

class MpiPool {
 public:
  // MPI_Init_thread; throws std::runtime_error when MPI cannot give MPI_THREAD_FUNNELED.
  MpiPool();
  ~MpiPool();  // MPI_Finalize
  MpiPool(const MpiPool&) = delete;
  MpiPool& operator=(const MpiPool&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  const std::string& host() const { return host_; }

  // Collective: every rank passes its own status (0, or the exit code of what failed
  // it); all learn the lowest failing rank (-1 if none) and its code.
  struct Verdict {
    int rank = -1;
    int code = 0;
  };
  Verdict agree(int code);
  // Collective: the first rank whose value differs from rank 0's, or -1.
  int first_different(std::uint64_t value);
  // Collective: every rank tells rank 0 how many threads it runs units on. After it, the
  // other ranks serve() until rank 0 calls finish() (its destructor does, if need be).
  void share_threads(int jobs);

  // Rank 0: runs `units` over every rank (and options().jobs threads here) and returns
  // their results in any order; progress and cancellation through `hooks`. Throws
  // RankFailure when a rank fails, Cancelled when hooks.cancel is set.
  std::vector<UnitResult> execute(const Experiment& e, std::span<const WorkUnit> units,
                                  std::size_t planned_runs, const RunHooks& hooks);
  // Rank 0: ends every other rank's serve(); ok = false cancels the units they run.
  void finish(bool ok);
  // Every other rank: runs the units rank 0 sends until it calls finish(). `interrupted`
  // (Ctrl-C, SIGTERM) cancels this rank's units and tells rank 0.
  void serve(const Experiment& e, const std::atomic<bool>* interrupted);

 private:
  int rank_ = 0;
  int size_ = 1;
  std::string host_;
  std::vector<int> threads_;  // rank 0: each rank's threads
  bool finished_ = false;
};

}  // namespace faultline
