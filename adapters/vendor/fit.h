// `faultline fit`: vendor and carrier parameters from a delivery log, each with a
// confidence interval and a goodness-of-fit line, printed as a YAML snippet for a
// scenario's `infrastructure:` block (docs/adapters.md, "Fitting a delivery log").
//
// The delay from "sent" to "delivered" follows the simulator's carrier model: a lognormal
// carrier delay Y (median, sigma) plus, with probability p (first_attempt_failure), an
// exponential store-and-forward wait Z (offline_mean) — and messages whose handset stayed
// off past the validity are right-censored (undelivered, 30003). The four parameters are
// fitted jointly by maximum likelihood (density of Y + Z written as a series of partial
// lognormal moments, or by Gauss–Legendre quadrature where that converges slowly);
// intervals are Wald intervals from the observed information, on scales where the
// parameters are unbounded. Carrier parameters come from a fit per carrier, vendor
// parameters from a fit per vendor (pooled over the other grouping: exact when the
// model's structure holds — carriers own the delay, vendors the offline behaviour).
// failure_probability: binomial with a Wilson interval, checked for homogeneity over time
// (a fault window in the log shows up as a failing chi-square). Throughput: messages per
// second over the log; capacity from the spacing of back-to-back sends when the queue
// backed up (the model's service is deterministic: 1/capacity).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "adapters/vendor/delivery_log.h"

namespace faultline::vendor {

struct Interval {
  double value = kNoTime;
  double low = kNoTime;
  double high = kNoTime;
  bool ok() const { return value == value; }
};

struct DelayFit {
  std::size_t delivered = 0;  // delays used
  std::size_t censored = 0;   // undelivered after store and forward (30003)
  Interval median_s, sigma, first_attempt_failure, offline_mean_s;
  double ks_d = kNoTime, ks_p = kNoTime;  // Kolmogorov–Smirnov on the delivered delays
  double log_likelihood = kNoTime;
  std::string note;  // why something is missing
};

struct VendorFit {
  std::string name;
  std::size_t messages = 0;
  std::size_t failed = 0, handed = 0;  // vendor failures vs messages that reached a carrier
  Interval failure_probability;
  double homogeneity_chi2 = kNoTime, homogeneity_p = kNoTime;
  int homogeneity_df = 0;
  DelayFit delay;
  Interval receipt_delay_s;  // median
  double receipt_iqr_s = kNoTime;
  std::size_t receipts = 0;
  Interval throughput_per_s;  // over the log's span
  Interval capacity_per_s;    // from back-to-back sends; not ok() when the queue never backed up
  std::size_t back_to_back = 0;
  double gap_cv = kNoTime;  // coefficient of variation of back-to-back gaps (model: 0)
};

struct CarrierFit {
  std::string name;
  DelayFit delay;
};

struct FitResult {
  std::string path, format;
  double confidence = 0.95;
  std::size_t records = 0, other_rows = 0;
  std::vector<BadRow> bad_rows;
  std::vector<VendorFit> vendors;
  std::vector<CarrierFit> carriers;
};

FitResult fit_log(const DeliveryLog& log, double confidence);
// The YAML snippet, with each estimate's interval and fit line as comments.
std::string fit_yaml(const FitResult& r);
std::string fit_json(const FitResult& r);

// Exposed for tests: the fitted delay model's CDF of "sent → delivered" (not conditioned
// on delivery), and the maximum-likelihood fit of raw delays / censoring points.
double delay_cdf(double x, double median_s, double sigma, double p, double offline_mean_s);
DelayFit fit_delays(const std::vector<double>& delivered_s, const std::vector<double>& censored_s,
                    double confidence);

}  // namespace faultline::vendor
