// Whether this process was started by an MPI launcher, read from the environment before
// MPI is touched: `mpirun` (Open MPI: OMPI_COMM_WORLD_SIZE), a PMIx launcher such as
// `srun --mpi=pmix` (PMIX_RANK) or a PMI-1/2 one such as MPICH's or `srun --mpi=pmi2`
// (PMI_SIZE). Plain Slurm variables (SLURM_PROCID) are not enough: every batch step has
// them, MPI or not. A faultline built without MPI uses this to refuse an `mpirun -np 4`
// that would otherwise run the whole experiment four times over the same outputs.
#pragma once

#include <functional>

namespace faultline {

struct MpiLaunch {
  bool launched = false;
  int world_size = 0;  // 0 when the launcher does not say (PMIx)
  int local_size = 0;  // ranks on this host, 0 when unknown
};

MpiLaunch detect_mpi_launch(const std::function<const char*(const char*)>& getenv);

// The CPUs this process may run on (its affinity mask: one core when mpirun binds each
// rank to a core), at least 1.
int usable_cpus();

}  // namespace faultline
