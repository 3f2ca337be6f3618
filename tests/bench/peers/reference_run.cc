// The hand-written loops of the reference workload (reference_workload.h) as a program of
// their own, so scripts/peers.sh can time them as whole processes beside the faultline
// CLI, SimGrid's timers and SimPy, and check_counts.sh can compare their counts.
//   reference_run stream|preload BORROWERS [SEED]
#include <cstdio>
#include <cstring>

#include "tests/bench/peers/peer_counts.h"

int main(int argc, char** argv) {
  using namespace faultline::bench;
  const char* usage = "reference_run stream|preload BORROWERS [SEED]";
  if (argc < 2 || (std::strcmp(argv[1], "stream") != 0 && std::strcmp(argv[1], "preload") != 0)) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return 2;
  }
  const bool stream = std::strcmp(argv[1], "stream") == 0;
  const ReferenceConfig c = peer_config(argc - 1, argv + 1, usage);
  const ReferenceResult r =
      stream ? run_reference_workload_streaming(c) : run_reference_workload(c);
  print_peer_counts(c, r);
  return 0;
}
