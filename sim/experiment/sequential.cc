#include "sim/experiment/sequential.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/experiment/stats.h"
#include "sim/metrics/metrics.h"

namespace faultline {

std::vector<TargetOutcome> check_precision(std::span<const SweepPoint> points,
                                           const ExperimentResult& result,
                                           const std::vector<PrecisionTarget>& targets,
                                           double confidence) {
  const std::size_t strategies = points.front().scenario.strategies.size();
  const std::size_t reps = result.records.size() / (points.size() * strategies);
  std::vector<TargetOutcome> out;
  std::vector<double> values(reps);
  for (const PrecisionTarget& target : targets) {
    TargetOutcome o{target, 0.0, true, static_cast<int>(reps)};
    const auto m = static_cast<std::size_t>(find_metric(target.metric)->id);
    for (std::size_t p = 0; p < points.size(); ++p) {
      for (std::size_t st = 0; st < strategies; ++st) {
        for (std::size_t r = 0; r < reps; ++r)
          values[r] = result.records[(p * reps + r) * strategies + st].metrics[m];
        const Estimate e = metric_estimate(kMetrics[m].unit, values, confidence);
        if (!std::isfinite(e.half_width)) {  // one replication: no interval yet
          o.achieved = std::numeric_limits<double>::quiet_NaN();
          o.met = false;
          continue;
        }
        if (!std::isnan(o.achieved)) o.achieved = std::max(o.achieved, e.half_width);
        o.met = o.met && e.half_width <= target.half_width;
        const double t = t_quantile(confidence, static_cast<double>(reps - 1));
        const double needed = std::ceil(std::pow(t * e.sd / target.half_width, 2));
        o.needed = std::max(o.needed, static_cast<int>(std::min(needed, 1e9)));
      }
    }
    out.push_back(o);
  }
  return out;
}

int next_replications(int current, const std::vector<TargetOutcome>& outcomes,
                      int max_replications) {
  int needed = current;
  for (const auto& o : outcomes) needed = std::max(needed, o.needed);
  const int at_least = current + std::max(2, current / 4);
  const int next = std::max(at_least, std::min(needed, 2 * current));
  return std::min(next, max_replications);
}

}  // namespace faultline
