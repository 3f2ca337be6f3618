#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

const std::vector<ToxicKind>& toxic_kinds() {
  static const std::vector<ToxicKind> kinds = {
      latency_toxic(),     bandwidth_toxic(),  slow_close_toxic(),   timeout_toxic(),
      reset_peer_toxic(),  slicer_toxic(),     limit_data_toxic(),   noop_toxic(),
      silent_drop_toxic(), http_error_toxic(), http_latency_toxic(),
  };
  return kinds;
}

}  // namespace faultline::proxy
