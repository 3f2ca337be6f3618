#include "sim/output/summary.h"

namespace faultline {

Summary summarise(const Scenario& s, const ExperimentResult& result) {
  Summary out;
  out.confidence = s.confidence;
  const std::size_t strategies = s.strategies.size();
  const std::size_t reps = result.records.size() / strategies;
  out.replications = static_cast<int>(reps);
  // values[strategy][metric][replication]
  std::vector<std::vector<std::vector<double>>> values(
      strategies, std::vector<std::vector<double>>(kMetricCount, std::vector<double>(reps)));
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    const RunRecord& r = result.records[i];
    for (int m = 0; m < kMetricCount; ++m)
      values[static_cast<std::size_t>(r.strategy)][static_cast<std::size_t>(m)][i / strategies] = r.metrics[static_cast<std::size_t>(m)];
  }
  for (std::size_t st = 0; st < strategies; ++st) {
    StrategySummary ss;
    ss.name = s.strategies[st].name;
    for (const auto& m : s.strategies[st].mitigations) ss.mitigations.push_back(m.type);
    for (std::size_t m = 0; m < static_cast<std::size_t>(kMetricCount); ++m) {
      ss.metrics.push_back(estimate(values[st][m], s.confidence));
      ss.difference_to_reference.push_back(paired_difference(values[st][m], values[0][m], s.confidence));
    }
    ss.series_mean.assign(kSeriesCount, {});
    for (std::size_t rep = 0; rep < reps; ++rep) {
      const RunRecord& r = result.records[rep * strategies + st];
      out.series_bin = r.series.bin_width();
      for (int k = 0; k < kSeriesCount; ++k) {
        auto& mean = ss.series_mean[static_cast<std::size_t>(k)];
        mean.resize(r.series.bins(), 0.0);
        for (std::size_t b = 0; b < r.series.bins(); ++b)
          mean[b] += static_cast<double>(r.series.at(static_cast<Series>(k), b)) / static_cast<double>(reps);
      }
      ss.delivery_latency.merge(r.delivery_latency);
    }
    out.strategies.push_back(std::move(ss));
  }
  return out;
}

}  // namespace faultline
