#include "sim/scaleout/mpi_launch.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

namespace faultline {

namespace {
int positive(const char* text) {
  if (text == nullptr) return 0;
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && v > 0 && v < (1L << 30) ? static_cast<int>(v) : 0;
}
}  // namespace

MpiLaunch detect_mpi_launch(const std::function<const char*(const char*)>& getenv) {
  MpiLaunch m;
  if (const char* size = getenv("OMPI_COMM_WORLD_SIZE")) {
    m.launched = true;
    m.world_size = positive(size);
    m.local_size = positive(getenv("OMPI_COMM_WORLD_LOCAL_SIZE"));
  } else if (getenv("PMIX_RANK") != nullptr) {
    m.launched = true;
  } else if (const char* pmi_size = getenv("PMI_SIZE")) {
    m.launched = true;
    m.world_size = positive(pmi_size);
  }
  return m;
}

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace faultline
