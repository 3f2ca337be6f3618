// Per-run time series and latency distributions, pre-aggregated in the run so reports
// never handle raw events: hourly bins (coarser for long horizons, so a series never has
// more than kMaxBins points) and a log-spaced latency histogram from which quantiles and
// the CDF are read. Bumping either is an index computation and an increment.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"

namespace faultline {

enum class Series : int { sms_sent, reminders_delivered, sms_lost, payments, kCount };
inline constexpr int kSeriesCount = static_cast<int>(Series::kCount);
inline constexpr std::array<std::string_view, kSeriesCount> kSeriesNames = {
    "sms_sent", "reminders_delivered", "sms_lost", "payments"};

class TimeSeries {
 public:
  static constexpr std::size_t kMaxBins = 2000;

  TimeSeries() = default;
  explicit TimeSeries(SimTime horizon);
  void add(Series s, SimTime t) {
    const auto b = static_cast<std::size_t>(t / bin_);
    if (b < bins_) ++counts_[static_cast<std::size_t>(s) * bins_ + b];
  }
  SimTime bin_width() const { return bin_; }
  std::size_t bins() const { return bins_; }
  std::uint32_t at(Series s, std::size_t bin) const {
    return counts_[static_cast<std::size_t>(s) * bins_ + bin];
  }
  // Every count, series-major (kSeriesCount × bins()): what a shard file or an MPI message
  // carries (sim/scaleout/unit_codec.h); from_counts rebuilds the same series, and throws
  // std::invalid_argument when the shape does not fit.
  std::span<const std::uint32_t> counts() const { return counts_; }
  static TimeSeries from_counts(SimTime bin_width, std::size_t bins,
                                std::vector<std::uint32_t> counts);

 private:
  SimTime bin_ = kHour;
  std::size_t bins_ = 0;
  std::vector<std::uint32_t> counts_;
};

// Latencies from 1 s to 10^7 s (116 days) in 20 log-spaced bins per decade, plus an
// underflow bin (< 1 s) and an overflow bin. A quantile is found in the bin that crosses
// it and placed inside that bin by rank, as if the bin's latencies were spread evenly in
// log time: never outside the bin (at most 12 % off), and — unlike a bin edge — it moves
// with the data, so its spread over replications is a real sampling spread (a precision
// target on a quantile metric needs one; docs/metrics.md).
class LatencyHistogram {
 public:
  static constexpr int kPerDecade = 20;
  static constexpr int kDecades = 7;
  static constexpr int kBins = kPerDecade * kDecades + 2;  // + underflow and overflow

  void add(SimTime latency);
  void merge(const LatencyHistogram& other);
  std::uint64_t count() const { return total_; }
  // Upper edge (seconds) of bin i; the overflow bin reports +inf.
  static double upper_edge_s(int bin);
  // Lower edge (seconds) of bin i; 0 for the underflow bin.
  static double lower_edge_s(int bin);
  // The q-quantile in seconds, interpolated inside its bin; NaN when empty, +inf when
  // it falls in the overflow bin.
  double quantile_s(double q) const;
  std::uint64_t at(int bin) const { return counts_[static_cast<std::size_t>(bin)]; }
  // The histogram with these bin counts (the total is their sum): shard files, MPI.
  static LatencyHistogram from_counts(const std::array<std::uint64_t, kBins>& counts);

 private:
  std::array<std::uint64_t, kBins> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace faultline
