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

}  // namespace faultline
