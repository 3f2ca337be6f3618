// Per-run time series and latency distributions, pre-aggregated in the run so reports
// never handle raw events: hourly bins (coarser for long horizons, so a series never has
// more than kMaxBins points) and a log-spaced latency histogram from which quantiles and
// the CDF are read. Bumping either is an index computation and an increment.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
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

// Latencies in log-spaced bins: kPerDecade per decade over kDecades decades from
// kLowest, plus an underflow bin (below kLowest, from 0) and an overflow bin. A quantile
// is found in the bin that crosses it and placed inside that bin by rank, as if the bin's
// latencies were spread evenly in log time (linearly in the underflow bin): never outside
// the bin, and — unlike a bin edge — it moves with the data, so its spread over
// replications is a real sampling spread (a precision target on a quantile metric needs
// one; docs/metrics.md). The sum of the latencies gives the exact mean.
template <int PerDecade, int Decades, SimTime Lowest>
class LogHistogram {
 public:
  static constexpr int kPerDecade = PerDecade;
  static constexpr int kDecades = Decades;
  static constexpr SimTime kLowest = Lowest;
  static constexpr int kBins = kPerDecade * kDecades + 2;  // + underflow and overflow

  void add(SimTime latency) { add_in(bin_of(latency), latency); }
  // The bin add() counts a latency in. A latency added to two histograms of one type
  // (every channel's and its own channel's) needs it once: add_in(bin, latency) with
  // bin = bin_of(latency) is add(latency) (issue 21: two log10 per delivery fewer).
  static int bin_of(SimTime latency) {
    if (latency < kLowest) return 0;
    if (latency >= kTableEnd) return bin_by_log10(latency);
    // bin_by_log10's value read from its own thresholds (issue 21: a log10 per delivery
    // was ~1 % of the reference workload). An estimate from the top bits of the latency
    // is within a bin or two of the answer; the thresholds settle it.
    const Thresholds& t = thresholds();
    const auto bits = std::bit_cast<std::uint64_t>(static_cast<double>(latency));
    const double log2 = static_cast<double>(static_cast<int>(bits >> 52) - 1023) +
                        t.log2_mantissa[(bits >> 44) & 255];
    int bin = std::clamp(1 + static_cast<int>((log2 - t.log2_lowest) * (kLog10Of2 * kPerDecade)), 1,
                         kBins - 1);
    while (bin + 1 < kBins && latency >= t.first[bin + 1]) ++bin;
    while (latency < t.first[bin]) --bin;
    return bin;
  }
  // The definition of the bins: the bin of `latency` >= kLowest.
  static int bin_by_log10(SimTime latency) {
    const double decades = std::log10(static_cast<double>(latency) / kLowest);
    return std::min(kBins - 1, 1 + static_cast<int>(decades * kPerDecade));
  }
  void add_in(int bin, SimTime latency) {
    ++counts_[static_cast<std::size_t>(bin)];
    ++total_;
    sum_s_ += to_seconds(latency);
  }
  void merge(const LogHistogram& other) {
    for (int i = 0; i < kBins; ++i)
      counts_[static_cast<std::size_t>(i)] += other.counts_[static_cast<std::size_t>(i)];
    total_ += other.total_;
    sum_s_ += other.sum_s_;
  }
  std::uint64_t count() const { return total_; }
  // The mean latency in seconds (exact: a running sum); NaN when empty.
  double mean_s() const {
    return total_ == 0 ? std::numeric_limits<double>::quiet_NaN()
                       : sum_s_ / static_cast<double>(total_);
  }
  // Upper edge (seconds) of bin i; the overflow bin reports +inf.
  static double upper_edge_s(int bin) {
    if (bin >= kBins - 1) return std::numeric_limits<double>::infinity();
    return to_seconds(kLowest) * std::pow(10.0, static_cast<double>(bin) / kPerDecade);
  }
  // Lower edge (seconds) of bin i; 0 for the underflow bin.
  static double lower_edge_s(int bin) {
    if (bin <= 0) return 0;
    return to_seconds(kLowest) * std::pow(10.0, static_cast<double>(bin - 1) / kPerDecade);
  }
  // The q-quantile in seconds, interpolated inside its bin; NaN when empty, +inf when
  // it falls in the overflow bin.
  double quantile_s(double q) const {
    if (total_ == 0) return std::numeric_limits<double>::quiet_NaN();
    const double target = q * static_cast<double>(total_);
    std::uint64_t seen = 0;
    for (int i = 0; i < kBins; ++i) {
      const std::uint64_t here = counts_[static_cast<std::size_t>(i)];
      if (here == 0 || static_cast<double>(seen + here) < target) {
        seen += here;
        continue;
      }
      if (i == kBins - 1) return upper_edge_s(i);  // overflow: no upper edge to move towards
      const double within =
          std::clamp((target - static_cast<double>(seen)) / static_cast<double>(here), 0.0, 1.0);
      const double low = lower_edge_s(i), high = upper_edge_s(i);
      return i == 0 ? within * high : low * std::pow(high / low, within);
    }
    return upper_edge_s(kBins - 1);
  }
  std::uint64_t at(int bin) const { return counts_[static_cast<std::size_t>(bin)]; }
  // Below this, bin_of reads the thresholds; at and above, it is bin_by_log10 itself.
  // Why the thresholds give bin_by_log10's answer exactly: they are found with it, and it
  // is monotone in the latency. For integers below 2^43 µs (102 days) consecutive
  // latencies' log10 differ by at least 2^-44.2, 26 ulps of a log10 below 16, and glibc's
  // log10 is within 2 ulps: its values increase strictly, the division before it and the
  // truncation after it are monotone. tests/unit/series_test.cc checks every latency up
  // to 10^7 µs and random ones up to 2^43.
  static constexpr SimTime kTableEnd = SimTime{1} << 43;
  // The histogram with these bin counts (the total is their sum; the mean is lost): shard
  // files, MPI — which carry each run's metric values, the mean among them, separately.
  static LogHistogram from_counts(const std::array<std::uint64_t, kBins>& counts) {
    LogHistogram out;
    out.counts_ = counts;
    for (const std::uint64_t c : counts) out.total_ += c;
    out.sum_s_ = std::numeric_limits<double>::quiet_NaN();
    return out;
  }

 private:
  static constexpr double kLog10Of2 = 0.30102999566398120;
  struct Thresholds {
    // first[b]: the smallest latency in bin b (kTableEnd when every latency of the bin
    // is at or above it); log2_mantissa[j]: log2(1 + j/256), an estimate's fraction.
    std::array<SimTime, kBins + 1> first{};
    std::array<double, 256> log2_mantissa{};
    double log2_lowest = std::log2(static_cast<double>(kLowest));
    Thresholds() {
      for (int j = 0; j < 256; ++j)
        log2_mantissa[static_cast<std::size_t>(j)] = std::log2(1 + j / 256.0);
      first[0] = 0;
      first[1] = kLowest;
      for (int b = 2; b <= kBins; ++b) {
        // From the edge's value, step to the exact threshold (a step or two).
        auto l = static_cast<SimTime>(
            std::ceil(static_cast<double>(kLowest) * std::pow(10.0, (b - 1.0) / kPerDecade)));
        l = std::clamp(l, first[static_cast<std::size_t>(b - 1)], kTableEnd);
        while (l < kTableEnd && bin_by_log10(l) < b) ++l;
        while (l > first[static_cast<std::size_t>(b - 1)] && bin_by_log10(l - 1) >= b) --l;
        first[static_cast<std::size_t>(b)] = b == kBins ? kTableEnd : l;
      }
    }
  };
  static const Thresholds& thresholds() {
    static const Thresholds t;
    return t;
  }

  std::array<std::uint64_t, kBins> counts_{};
  std::uint64_t total_ = 0;
  double sum_s_ = 0;
};

// The CDF of the report and results.json: 1 s to 10^7 s (116 days), 20 bins a decade
// (a bin is 12 % wide).
using LatencyHistogram = LogHistogram<20, 7, kSecond>;

// Each run's latency metrics (mean, p50, p95, p99): 1 ms to 10^10 s, 232 bins a decade,
// so a bin is 10^(1/232) − 1 = 0.998 % wide and a quantile read from it is within 1 % of
// the exact order statistic (below 1 ms: within 1 ms). A fixed array (24 KB): no
// allocation per delivery, and it travels in Counters like the histogram.
using LatencySketch = LogHistogram<232, 13, kMillisecond>;

}  // namespace faultline
