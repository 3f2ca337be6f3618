#include "sim/experiment/stats.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace faultline {

double t_quantile(double confidence, double degrees_of_freedom) {
  const boost::math::students_t dist(degrees_of_freedom);
  return boost::math::quantile(dist, 0.5 + confidence / 2.0);
}

Estimate estimate(std::span<const double> values, double confidence) {
  Estimate e;
  e.n = values.size();
  if (e.n == 0) throw std::invalid_argument("estimate: no values");
  // Two-pass mean and variance: stable when all values are large and close together.
  double sum = 0;
  for (const double v : values) sum += v;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) {
    // No interval from one sample: NaN (null in JSON), never a misleading zero width.
    e.half_width = e.ci_low = e.ci_high = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double sq = 0;
  for (const double v : values) sq += (v - e.mean) * (v - e.mean);
  e.sd = std::sqrt(sq / static_cast<double>(e.n - 1));
  e.half_width = t_quantile(confidence, static_cast<double>(e.n - 1)) * e.sd /
                 std::sqrt(static_cast<double>(e.n));
  e.ci_low = e.mean - e.half_width;
  e.ci_high = e.mean + e.half_width;
  return e;
}

Estimate rate_estimate(std::span<const double> values, double confidence) {
  Estimate e = estimate(values, confidence);
  if (e.n < 2 || !std::isfinite(e.sd)) return e;
  const double var = e.sd * e.sd / static_cast<double>(e.n);  // of the mean
  const double p = e.mean;
  if (var <= 0 || p <= 0 || p >= 1) {
    // Every replication gave the same rate: no spread to widen (as the t interval).
    return e;
  }
  const double n_eff = p * (1 - p) / var;
  const double z = t_quantile(confidence, static_cast<double>(e.n - 1));
  const double z2n = z * z / n_eff;
  const double denom = 1 + z2n;
  const double centre = (p + z2n / 2) / denom;
  const double half = z / denom * std::sqrt(var + z2n / (4 * n_eff));
  e.ci_low = std::max(0.0, centre - half);  // only rounding can cross the bounds
  e.ci_high = std::min(1.0, centre + half);
  e.half_width = (e.ci_high - e.ci_low) / 2;
  return e;
}

Estimate metric_estimate(std::string_view unit, std::span<const double> values, double confidence) {
  return unit == "ratio" ? rate_estimate(values, confidence) : estimate(values, confidence);
}

Estimate paired_difference(std::span<const double> a, std::span<const double> b,
                           double confidence) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: sizes differ");
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return estimate(d, confidence);
}

}  // namespace faultline
