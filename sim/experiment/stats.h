// Estimates over replications: mean, standard deviation and a Student-t confidence
// interval; and the paired difference of a strategy to the reference strategy over the
// same replications (common random numbers make the pairing worth it). The unit of
// independence is the replication: proportions pooled over borrowers inside one run are
// not independent, so intervals are never computed over borrowers.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace faultline {

struct Estimate {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;          // sample standard deviation (n - 1)
  double half_width = 0;  // of the confidence interval; NaN when n < 2
  double ci_low = 0;      // mean - half_width
  double ci_high = 0;     // mean + half_width
};

Estimate estimate(std::span<const double> values, double confidence);
// For a rate (every value in [0, 1]): the same mean and sd, and a Wilson score interval
// with the effective sample size n_eff = mean(1 - mean) / (sd^2 / n) and the Student-t
// quantile in place of z. It stays inside [0, 1] at any n (the t interval of 2
// replications can go below zero), and approaches the t interval as n_eff grows. The
// interval is not centred on the mean; half_width is half its length. docs/metrics.md.
Estimate rate_estimate(std::span<const double> values, double confidence);
// rate_estimate for a metric whose unit is "ratio" (sim/metrics/metrics.h), else estimate.
Estimate metric_estimate(std::string_view unit, std::span<const double> values, double confidence);
// Estimate of (a[i] - b[i]) over paired replications; a and b must have equal size.
Estimate paired_difference(std::span<const double> a, std::span<const double> b, double confidence);
// Two-sided Student-t quantile for the given confidence and degrees of freedom.
double t_quantile(double confidence, double degrees_of_freedom);

}  // namespace faultline
