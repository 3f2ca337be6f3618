// The comparison step shared by `faultline compare` and `faultline vendor --compare`.
#pragma once

#include <string>

#include "adapters/vendor/compare.h"

namespace faultline::cli {

struct CompareRequest {
  std::string ledger, scenario, out_dir, report;
  vendor::CompareOptions options;
};

// Prints the comparison; writes results.json / the report when asked. Exit code 0 or 1.
int run_comparison(const CompareRequest& request);

}  // namespace faultline::cli
