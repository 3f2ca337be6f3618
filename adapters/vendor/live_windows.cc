#include "adapters/vendor/live_windows.h"

#include <stdexcept>

namespace faultline::vendor {

std::vector<LiveWindow> live_windows(const Scenario& scenario, std::uint64_t /*run_seed*/) {
  std::vector<LiveWindow> out;
  for (std::size_t f = 0; f < scenario.faults.size(); ++f) {
    const ParamSet& p = scenario.faults[f].params;
    if (p.time("onset_spread") > 0)
      throw std::invalid_argument("onset_spread needs the scenario Schedule (not yet merged)");
    const auto repeat = static_cast<int>(p.number("repeat"));
    for (int k = 0; k < repeat; ++k) {
      const SimTime s = p.time("at") + k * p.time("every");
      if (s >= scenario.horizon) break;
      out.push_back({static_cast<int>(f), k, s, s + p.time("duration")});
    }
  }
  return out;
}

}  // namespace faultline::vendor
