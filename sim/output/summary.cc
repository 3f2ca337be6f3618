#include "sim/output/summary.h"

#include "sim/metrics/metrics.h"

namespace faultline {

namespace {

// One point's strategies from its records: records[rep * strategies + strategy].
std::vector<StrategySummary> summarise_point(const Scenario& s, std::span<const RunRecord> records,
                                             SimTime& series_bin) {
  const std::size_t strategies = s.strategies.size();
  const std::size_t reps = records.size() / strategies;
  // values[strategy][metric][replication]
  std::vector<std::vector<std::vector<double>>> values(
      strategies, std::vector<std::vector<double>>(kMetricCount, std::vector<double>(reps)));
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RunRecord& r = records[i];
    for (int m = 0; m < kMetricCount; ++m)
      values[static_cast<std::size_t>(r.strategy)][static_cast<std::size_t>(m)][i / strategies] =
          r.metrics[static_cast<std::size_t>(m)];
  }
  std::vector<StrategySummary> out;
  for (std::size_t st = 0; st < strategies; ++st) {
    StrategySummary ss;
    ss.name = s.strategies[st].name;
    for (const auto& m : s.strategies[st].mitigations) ss.mitigations.push_back(m.type);
    for (std::size_t m = 0; m < static_cast<std::size_t>(kMetricCount); ++m) {
      ss.metrics.push_back(metric_estimate(kMetrics[m].unit, values[st][m], s.confidence));
      ss.difference_to_reference.push_back(
          paired_difference(values[st][m], values[0][m], s.confidence));
    }
    // cycle_values[cycle][metric][replication], for this strategy and the reference.
    const std::size_t cycles = records.empty() ? 0 : records[st].cycle_metrics.size();
    auto cycle_values = [&](std::size_t strategy, std::size_t cycle, std::size_t m) {
      std::vector<double> per_replication(reps);
      for (std::size_t rep = 0; rep < reps; ++rep)
        per_replication[rep] = records[rep * strategies + strategy].cycle_metrics.at(cycle)[m];
      return per_replication;
    };
    for (std::size_t k = 0; k < cycles; ++k) {
      std::vector<Estimate> estimates, diffs;
      for (std::size_t m = 0; m < kCycleMetricCount; ++m) {
        const std::vector<double> own = cycle_values(st, k, m);
        estimates.push_back(metric_estimate(
            kMetrics[static_cast<std::size_t>(kCycleMetrics[m])].unit, own, s.confidence));
        diffs.push_back(paired_difference(own, cycle_values(0, k, m), s.confidence));
      }
      ss.cycle_metrics.push_back(std::move(estimates));
      ss.cycle_difference_to_reference.push_back(std::move(diffs));
    }
    ss.series_mean.assign(kSeriesCount, {});
    for (std::size_t rep = 0; rep < reps; ++rep) {
      const RunRecord& r = records[rep * strategies + st];
      series_bin = r.series.bin_width();
      for (int k = 0; k < kSeriesCount; ++k) {
        auto& mean = ss.series_mean[static_cast<std::size_t>(k)];
        mean.resize(r.series.bins(), 0.0);
        for (std::size_t b = 0; b < r.series.bins(); ++b)
          mean[b] += static_cast<double>(r.series.at(static_cast<Series>(k), b)) /
                     static_cast<double>(reps);
      }
      ss.runs.push_back({r.replication, r.run_seed, r.metrics, r.cycle_metrics});
      ss.delivery_latency.merge(r.delivery_latency);
      for (std::size_t ch = 0; ch < ss.channel_latency.size(); ++ch)
        ss.channel_latency[ch].merge(r.channel_latency[ch]);
    }
    out.push_back(std::move(ss));
  }
  return out;
}

}  // namespace

Summary summarise(std::span<const SweepPoint> points, const ExperimentResult& result) {
  Summary out;
  out.seed = points.front().scenario.seed;
  out.confidence = points.front().scenario.confidence;
  out.precision = result.precision;
  const std::size_t per_point = result.records.size() / points.size();
  out.replications = static_cast<int>(per_point / points.front().scenario.strategies.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    PointSummary ps;
    ps.index = points[p].index;
    ps.parameters = points[p].parameters;
    ps.faults = points[p].scenario.faults;
    ps.strategies = summarise_point(
        points[p].scenario,
        std::span<const RunRecord>(result.records).subspan(p * per_point, per_point),
        out.series_bin);
    out.points.push_back(std::move(ps));
  }
  return out;
}

Summary summarise(const Scenario& s, const ExperimentResult& result) {
  if (!result.points.empty()) return summarise(result.points, result);
  const SweepPoint one{0, {}, s};
  return summarise(std::span<const SweepPoint>(&one, 1), result);
}

std::vector<Metric> headline_metrics(const Summary& summary) {
  bool payment_side = false;
  for (const PointSummary& point : summary.points)
    for (const StrategySummary& st : point.strategies)
      for (const Metric m :
           {Metric::payment_failures, Metric::duplicate_charges, Metric::unconfirmed_payments})
        payment_side = payment_side || st.metrics[static_cast<std::size_t>(m)].mean > 0;
  if (payment_side)
    return {Metric::missed_payment_rate, Metric::payment_failure_rate, Metric::duplicate_charges,
            Metric::support_contacts};
  return {Metric::missed_payment_rate, Metric::late_payment_rate, Metric::notification_loss_rate,
          Metric::reminders_delivered};
}

}  // namespace faultline
