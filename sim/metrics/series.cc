#include "sim/metrics/series.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace faultline {

TimeSeries::TimeSeries(SimTime horizon) {
  const SimTime hours = (horizon + kHour - 1) / kHour;
  const SimTime hours_per_bin =
      (hours + static_cast<SimTime>(kMaxBins) - 1) / static_cast<SimTime>(kMaxBins);
  bin_ = std::max<SimTime>(1, hours_per_bin) * kHour;
  bins_ = static_cast<std::size_t>((horizon + bin_ - 1) / bin_);
  counts_.assign(bins_ * kSeriesCount, 0);
}

TimeSeries TimeSeries::from_counts(SimTime bin_width, std::size_t bins,
                                   std::vector<std::uint32_t> counts) {
  if (bin_width <= 0 || bins > kMaxBins || counts.size() != bins * kSeriesCount)
    throw std::invalid_argument("a time series of " + std::to_string(bins) + " bins needs " +
                                std::to_string(bins * kSeriesCount) + " counts, not " +
                                std::to_string(counts.size()));
  TimeSeries out;
  out.bin_ = bin_width;
  out.bins_ = bins;
  out.counts_ = std::move(counts);
  return out;
}

LatencyHistogram LatencyHistogram::from_counts(const std::array<std::uint64_t, kBins>& counts) {
  LatencyHistogram out;
  out.counts_ = counts;
  for (const std::uint64_t c : counts) out.total_ += c;
  return out;
}

void LatencyHistogram::add(SimTime latency) {
  int bin = 0;
  if (latency >= kSecond) {
    const double decades = std::log10(static_cast<double>(latency) / kSecond);
    bin = 1 + static_cast<int>(decades * kPerDecade);
    if (bin > kBins - 1) bin = kBins - 1;
  }
  ++counts_[static_cast<std::size_t>(bin)];
  ++total_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBins; ++i)
    counts_[static_cast<std::size_t>(i)] += other.counts_[static_cast<std::size_t>(i)];
  total_ += other.total_;
}

double LatencyHistogram::upper_edge_s(int bin) {
  if (bin >= kBins - 1) return std::numeric_limits<double>::infinity();
  return std::pow(10.0, static_cast<double>(bin) / kPerDecade);
}

double LatencyHistogram::lower_edge_s(int bin) {
  if (bin <= 0) return 0;
  return std::pow(10.0, static_cast<double>(bin - 1) / kPerDecade);
}

double LatencyHistogram::quantile_s(double q) const {
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
    // How far into this bin the q-th latency lies, by rank, spread evenly in log time
    // (linearly in the underflow bin, which starts at 0).
    const double within =
        std::clamp((target - static_cast<double>(seen)) / static_cast<double>(here), 0.0, 1.0);
    const double low = lower_edge_s(i), high = upper_edge_s(i);
    return i == 0 ? within * high : low * std::pow(high / low, within);
  }
  return upper_edge_s(kBins - 1);
}

}  // namespace faultline
