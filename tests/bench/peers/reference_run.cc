// The hand-written loops of the reference workload (reference_workload.h) as a program of
// their own, so scripts/peers.sh can time them as whole processes beside the faultline
// CLI, SimGrid's timers and SimPy, and check_counts.sh can compare their counts.
//   reference_run stream|preload BORROWERS [SEED]
#include "tests/bench/peers/peer_counts.h"

int main(int argc, char** argv) {
  using namespace faultline::bench;
  ReferenceConfig c;
  const bool stream = peer_mode(argc, argv, "stream", "preload",
                                "reference_run stream|preload BORROWERS [SEED]", c);
  const ReferenceResult r =
      stream ? run_reference_workload_streaming(c) : run_reference_workload(c);
  print_peer_counts(c, r);
  return 0;
}
