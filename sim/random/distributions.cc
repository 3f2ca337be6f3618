#include "sim/random/distributions.h"

#include <algorithm>

namespace faultline {

Empirical Empirical::discrete(std::span<const double> values, std::span<const double> weights) {
  if (values.empty() || values.size() != weights.size())
    throw std::invalid_argument(
        "empirical: values and weights must be non-empty and of equal size");
  Empirical e;
  e.values_.assign(values.begin(), values.end());
  double total = 0;
  for (const double w : weights) {
    if (!(w >= 0)) throw std::invalid_argument("empirical: weights must be >= 0");
    total += w;
    e.cumulative_.push_back(total);
  }
  if (!(total > 0)) throw std::invalid_argument("empirical: weights must not all be zero");
  for (double& c : e.cumulative_) c /= total;
  e.cumulative_.back() = 1.0;
  return e;
}

Empirical Empirical::continuous(std::span<const double> sorted_samples) {
  if (sorted_samples.empty()) throw std::invalid_argument("empirical: no samples");
  if (!std::is_sorted(sorted_samples.begin(), sorted_samples.end()))
    throw std::invalid_argument("empirical: samples must be sorted");
  Empirical e;
  e.values_.assign(sorted_samples.begin(), sorted_samples.end());
  e.continuous_ = true;
  return e;
}

double Empirical::sample(double u) const {
  if (continuous_) {
    if (values_.size() == 1) return values_[0];
    const double pos = u * static_cast<double>(values_.size() - 1);
    const auto i = static_cast<std::size_t>(pos);
    if (i + 1 >= values_.size()) return values_.back();
    return values_[i] + (pos - static_cast<double>(i)) * (values_[i + 1] - values_[i]);
  }
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return values_[std::min<std::size_t>(it - cumulative_.begin(), values_.size() - 1)];
}

}  // namespace faultline
