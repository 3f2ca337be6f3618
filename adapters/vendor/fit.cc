#include "adapters/vendor/fit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/experiment/stats.h"

namespace faultline::vendor {

namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kLogSqrt2Pi = 0.91893853320467274;
constexpr double kZMax = 8.5;  // beyond ±8.5 sd the normal has < 1e-16 of its mass

double Phi(double z) {
  return 0.5 * std::erfc(-z / kSqrt2);
}
double phi(double z) {
  return std::exp(-0.5 * z * z - kLogSqrt2Pi);
}

// Gauss–Legendre nodes and weights on [-1, 1] (Newton on the Legendre recurrence).
struct Legendre {
  static constexpr int kN = 48;
  std::array<double, kN> x{}, w{};
  Legendre() {
    for (int i = 0; i < kN; ++i) {
      double z = std::cos(M_PI * (i + 0.75) / (kN + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; ++it) {
        double p1 = 1, p2 = 0;
        for (int j = 0; j < kN; ++j) {
          const double p3 = p2;
          p2 = p1;
          p1 = ((2.0 * j + 1) * z * p2 - j * p3) / (j + 1);
        }
        dp = kN * (z * p1 - p2) / (z * z - 1);
        const double dz = p1 / dp;
        z -= dz;
        if (std::abs(dz) < 1e-15) break;
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
  }
};
const Legendre& legendre() {
  static const Legendre l;
  return l;
}

struct Model {
  double mu, sigma, p, lambda;
};

// ∫_0^x lognormal_pdf(y) e^{λy} dy: a few partial moments when λx is small, else
// quadrature over the normal variable u = (ln y − μ)/σ. Above u = 8.5 the integral no
// longer depends on x, so that value is computed once per parameter set (`full`).
class PartialMgf {
 public:
  explicit PartialMgf(const Model& m) : m_(m) {
    double log_coef = 0;
    for (int k = 1; k <= 3; ++k) {
      log_coef += std::log(m.lambda) - std::log(static_cast<double>(k));
      log_moment_[k - 1] = log_coef + k * m.mu + 0.5 * k * k * m.sigma * m.sigma;
    }
  }
  double operator()(double x) {
    const double z = (std::log(x) - m_.mu) / m_.sigma;
    if (m_.lambda * x < 0.01) {
      double s = Phi(z);
      for (int k = 1; k <= 3; ++k) {
        const double tail = Phi(z - k * m_.sigma);
        if (tail > 0) s += std::exp(std::min(700.0, log_moment_[k - 1] + std::log(tail)));
      }
      return s;
    }
    if (z >= kZMax) {
      if (std::isnan(full_)) full_ = quadrature(kZMax);
      return full_;
    }
    return quadrature(z);
  }

 private:
  double quadrature(double top) const {
    if (top <= -kZMax) return 0;
    const double mid = 0.5 * (top - kZMax), half = 0.5 * (top + kZMax);
    const Legendre& gl = legendre();
    double s = 0;
    for (int i = 0; i < Legendre::kN; ++i) {
      const double u = mid + half * gl.x[i];
      s += gl.w[i] * phi(u) * std::exp(std::min(700.0, m_.lambda * std::exp(m_.mu + m_.sigma * u)));
    }
    return s * half;
  }
  Model m_;
  double log_moment_[3];
  double full_ = std::numeric_limits<double>::quiet_NaN();
};

double partial_mgf(double x, const Model& m) {
  PartialMgf s(m);
  return s(x);
}

// Observations of one lognormal group (a carrier): delivered delays and censoring points.
struct Group {
  std::vector<double> delivered, censored;
};

// Log-likelihood of the delay model; `lognormals[g]` = (mu, sigma) of group g.
double log_likelihood(const std::vector<Group>& groups,
                      const std::vector<std::pair<double, double>>& lognormals, double p,
                      double lambda) {
  if (!(p > 0 && p < 1 && std::isfinite(lambda) && lambda > 0)) return -1e300;
  double ll = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Model m{lognormals[g].first, lognormals[g].second, p, lambda};
    if (!(m.sigma > 1e-6 && m.sigma < 20)) return -1e300;
    PartialMgf S(m);
    const double log_sigma = std::log(m.sigma);
    for (const double x : groups[g].delivered) {
      const double lx = std::log(x);
      const double z = (lx - m.mu) / m.sigma;
      const double ln_pdf = std::exp(-0.5 * z * z - kLogSqrt2Pi - lx - log_sigma);
      const double conv = m.lambda * std::exp(-m.lambda * x) * S(x);
      ll += std::log(std::max((1 - m.p) * ln_pdf + m.p * conv, 1e-300));
    }
    for (const double x : groups[g].censored) {
      const double z = (std::log(x) - m.mu) / m.sigma;
      const double survival = 1 - Phi(z) + std::exp(-m.lambda * x) * S(x);
      ll += std::log(std::max(m.p * survival, 1e-300));
    }
  }
  return ll;
}

using Vec = std::vector<double>;

// Nelder–Mead minimisation of f from x0 (standard coefficients).
Vec nelder_mead(const std::function<double(const Vec&)>& f, const Vec& x0, const Vec& step) {
  const std::size_t n = x0.size();
  std::vector<Vec> s(n + 1, x0);
  Vec fs(n + 1);
  for (std::size_t i = 0; i < n; ++i) s[i + 1][i] += step[i];
  for (std::size_t i = 0; i <= n; ++i) fs[i] = f(s[i]);
  std::vector<std::size_t> order(n + 1);
  for (int iter = 0; iter < 2000; ++iter) {
    for (std::size_t i = 0; i <= n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return fs[a] < fs[b]; });
    const std::size_t best = order[0], worst = order[n], second = order[n - 1];
    if (std::abs(fs[worst] - fs[best]) <= 1e-10 * (std::abs(fs[best]) + 1e-10)) break;
    Vec centroid(n, 0.0);
    for (std::size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < n; ++k) centroid[k] += s[i][k] / static_cast<double>(n);
    const auto along = [&](double a) {
      Vec p(n);
      for (std::size_t k = 0; k < n; ++k) p[k] = centroid[k] + a * (s[worst][k] - centroid[k]);
      return p;
    };
    const Vec r = along(-1);
    const double fr = f(r);
    if (fr < fs[best]) {
      const Vec e = along(-2);
      const double fe = f(e);
      if (fe < fr)
        s[worst] = e, fs[worst] = fe;
      else
        s[worst] = r, fs[worst] = fr;
    } else if (fr < fs[second]) {
      s[worst] = r, fs[worst] = fr;
    } else {
      const Vec c = fr < fs[worst] ? along(-0.5) : along(0.5);
      const double fc = f(c);
      if (fc < std::min(fr, fs[worst])) {
        s[worst] = c, fs[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= n; ++i) {
          if (i == best) continue;
          for (std::size_t k = 0; k < n; ++k) s[i][k] = s[best][k] + 0.5 * (s[i][k] - s[best][k]);
          fs[i] = f(s[i]);
        }
      }
    }
  }
  return s[static_cast<std::size_t>(std::min_element(fs.begin(), fs.end()) - fs.begin())];
}

// Inverse of a square matrix (Gauss–Jordan with partial pivoting); false if singular.
bool invert(std::vector<Vec>& a) {
  const std::size_t n = a.size();
  std::vector<Vec> m(n, Vec(2 * n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) m[i][j] = a[i][j];
    m[i][n + i] = 1;
  }
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
    if (std::abs(m[piv][c]) < 1e-300) return false;
    std::swap(m[c], m[piv]);
    const double d = m[c][c];
    for (double& v : m[c]) v /= d;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = m[r][c];
      for (std::size_t k = 0; k < 2 * n; ++k) m[r][k] -= f * m[c][k];
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) a[i][j] = m[i][n + j];
  return true;
}

// Standard errors from the observed information (central second differences of f, the
// negative log-likelihood, at its minimum); NaN where the matrix is not invertible.
Vec standard_errors(const std::function<double(const Vec&)>& f, const Vec& theta) {
  const std::size_t n = theta.size();
  std::vector<Vec> h(n, Vec(n, 0.0));
  const double e = 1e-3, f0 = f(theta);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i; j < n; ++j) {
      const auto at = [&](double di, double dj) {
        Vec t = theta;
        t[i] += di;
        t[j] += dj;
        return f(t);
      };
      h[i][j] = i == j ? (at(e, 0) - 2 * f0 + at(-e, 0)) / (e * e)
                       : (at(e, e) - at(e, -e) - at(-e, e) + at(-e, -e)) / (4 * e * e);
      h[j][i] = h[i][j];
    }
  }
  Vec se(n, kNoTime);
  if (invert(h))
    for (std::size_t i = 0; i < n; ++i)
      if (h[i][i] > 0) se[i] = std::sqrt(h[i][i]);
  return se;
}

// Kolmogorov's limiting distribution: P(sqrt(n) D > t), with Stephens' small-n correction.
double kolmogorov_p(double d, std::size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  const double t = (sn + 0.12 + 0.11 / sn) * d;
  if (t < 0.2) return 1;
  double sum = 0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * t * t);
    sum += (k % 2 ? 2 : -2) * term;
    if (term < 1e-12) break;
  }
  return std::clamp(sum, 0.0, 1.0);
}

// Regularized upper incomplete gamma Q(a, x): series below a + 1, continued fraction above.
double gamma_q(double a, double x) {
  if (x <= 0) return 1;
  const double lg = std::lgamma(a);
  if (x < a + 1) {
    double sum = 1 / a, term = sum;
    for (int n = 1; n < 1000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::abs(term) < std::abs(sum) * 1e-15) break;
    }
    return std::clamp(1 - sum * std::exp(-x + a * std::log(x) - lg), 0.0, 1.0);
  }
  double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (std::abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1) < 1e-15) break;
  }
  return std::clamp(std::exp(-x + a * std::log(x) - lg) * h, 0.0, 1.0);
}

double z_of(double confidence) {
  return t_quantile(confidence, 1e9);
}

Interval wilson(std::size_t k, std::size_t n, double confidence) {
  if (n == 0) return {};
  const double z = z_of(confidence), nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double quantile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return kNoTime;
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

// Median with a distribution-free interval from order statistics (binomial(n, 1/2)).
Interval median_interval(std::vector<double> v, double confidence) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size());
  const double half = z_of(confidence) * std::sqrt(n) / 2;
  const auto lo = static_cast<std::size_t>(std::clamp(std::floor(n / 2 - half), 0.0, n - 1));
  const auto hi = static_cast<std::size_t>(std::clamp(std::ceil(n / 2 + half), 0.0, n - 1));
  return {quantile_sorted(v, 0.5), v[lo], v[hi]};
}

}  // namespace

double delay_cdf(double x, double median_s, double sigma, double p, double offline_mean_s) {
  if (!(x > 0)) return 0;
  const Model m{std::log(median_s), sigma, p, 1 / offline_mean_s};
  const double z = (std::log(x) - m.mu) / m.sigma;
  return std::clamp(Phi(z) - p * std::exp(-m.lambda * x) * partial_mgf(x, m), 0.0, 1.0);
}

namespace {

double logistic(double a) {
  return 1 / (1 + std::exp(-a));
}

// Kolmogorov–Smirnov of the delivered delays of one group against the model conditioned
// on delivery before the group's median censoring point (when there is censoring).
void goodness_of_fit(const std::vector<Group>& groups,
                     const std::vector<std::pair<double, double>>& lognormals, DelayFit& out) {
  std::vector<std::pair<double, double>> points;  // (delay, model CDF)
  for (std::size_t g = 0; g < groups.size(); ++g) {
    double norm = 1;
    if (!groups[g].censored.empty()) {
      std::vector<double> cs = groups[g].censored;
      std::sort(cs.begin(), cs.end());
      norm =
          delay_cdf(quantile_sorted(cs, 0.5), std::exp(lognormals[g].first), lognormals[g].second,
                    out.first_attempt_failure.value, out.offline_mean_s.value);
    }
    for (const double x : groups[g].delivered)
      points.emplace_back(
          x, std::min(1.0, delay_cdf(x, std::exp(lognormals[g].first), lognormals[g].second,
                                     out.first_attempt_failure.value, out.offline_mean_s.value) /
                               norm));
  }
  // With several groups the reference is the mixture of their CDFs, weighted by count:
  // the probability integral transform of each delay under its own group is uniform, so
  // the KS test runs on those transforms.
  std::vector<double> u;
  u.reserve(points.size());
  for (const auto& [x, cdf] : points) u.push_back(cdf);
  std::sort(u.begin(), u.end());
  const double n = static_cast<double>(u.size());
  double dmax = 0;
  for (std::size_t i = 0; i < u.size(); ++i)
    dmax = std::max({dmax, std::abs(u[i] - i / n), std::abs((i + 1) / n - u[i])});
  out.ks_d = dmax;
  out.ks_p = kolmogorov_p(dmax, u.size());
}

// The delay model's maximum-likelihood fit. `fixed` empty: one group, all four parameters
// free. Otherwise one (mu, sigma) per group, held fixed: only the vendor's store-and-forward
// parameters (p, offline mean) are fitted.
DelayFit fit_delay_model(std::vector<Group> groups,
                         const std::vector<std::pair<double, double>>& fixed, double confidence) {
  DelayFit out;
  for (Group& g : groups) {
    for (double& x : g.delivered) x = std::max(x, 1e-3);  // 1 ms resolution
    for (double& x : g.censored) x = std::max(x, 1e-3);
    out.delivered += g.delivered.size();
    out.censored += g.censored.size();
  }
  if (out.delivered < 20) {
    out.note = "too few delivered messages to fit the delay (" + std::to_string(out.delivered) +
               ", need 20)";
    return out;
  }
  // Start: the fast bulk (below 20 × the median) is the carrier delay, the rest store and
  // forward.
  std::vector<double> all;
  for (const Group& g : groups) all.insert(all.end(), g.delivered.begin(), g.delivered.end());
  std::sort(all.begin(), all.end());
  const double med = quantile_sorted(all, 0.5);
  double sl = 0, sl2 = 0, slow_sum = 0;
  std::size_t fast = 0, slow = 0;
  for (const double x : all) {
    if (x <= 20 * med) {
      sl += std::log(x), sl2 += std::log(x) * std::log(x), ++fast;
    } else {
      slow_sum += x, ++slow;
    }
  }
  const double mu0 = sl / static_cast<double>(fast);
  const double sd0 = std::max(0.05, std::sqrt(std::max(0.0, sl2 / fast - mu0 * mu0)));
  const double p0 = std::clamp(
      static_cast<double>(slow + out.censored) / static_cast<double>(out.delivered + out.censored),
      0.01, 0.99);
  const double m0 = slow > 0 ? std::max(1.0, slow_sum / slow) : 10 * med;
  const bool free_lognormal = fixed.empty();
  // θ: [mu, log sigma,] logit p, log offline mean — every coordinate unbounded.
  const auto lognormals = [&](const Vec& t) {
    return free_lognormal ? std::vector<std::pair<double, double>>{{t[0], std::exp(t[1])}} : fixed;
  };
  const auto nll = [&](const Vec& t) {
    const std::size_t k = free_lognormal ? 2 : 0;
    return -log_likelihood(groups, lognormals(t), logistic(t[k]), std::exp(-t[k + 1]));
  };
  Vec theta = free_lognormal ? Vec{mu0, std::log(sd0), std::log(p0 / (1 - p0)), std::log(m0)}
                             : Vec{std::log(p0 / (1 - p0)), std::log(m0)};
  Vec step = free_lognormal ? Vec{0.1, 0.1, 0.3, 0.3} : Vec{0.3, 0.3};
  for (int round = 0; round < 2; ++round) theta = nelder_mead(nll, theta, step);  // a restart
  out.log_likelihood = -nll(theta);
  const Vec se = standard_errors(nll, theta);
  if (std::any_of(se.begin(), se.end(), [](double v) { return std::isnan(v); }))
    out.note = "the information matrix is singular: some intervals are missing";
  const double z = z_of(confidence);
  const auto exp_interval = [&](std::size_t i) {
    return Interval{std::exp(theta[i]), std::exp(theta[i] - z * se[i]),
                    std::exp(theta[i] + z * se[i])};
  };
  const std::size_t k = free_lognormal ? 2 : 0;
  if (free_lognormal) {
    out.median_s = exp_interval(0);
    out.sigma = exp_interval(1);
  }
  out.first_attempt_failure = {logistic(theta[k]), logistic(theta[k] - z * se[k]),
                               logistic(theta[k] + z * se[k])};
  out.offline_mean_s = exp_interval(k + 1);
  goodness_of_fit(groups, lognormals(theta), out);
  return out;
}

}  // namespace

DelayFit fit_delays(const std::vector<double>& delivered_s, const std::vector<double>& censored_s,
                    double confidence) {
  return fit_delay_model({Group{delivered_s, censored_s}}, {}, confidence);
}

FitResult fit_log(const DeliveryLog& log, double confidence) {
  FitResult r;
  r.path = log.path;
  r.format = log.format;
  r.confidence = confidence;
  r.records = log.records.size();
  r.other_rows = log.other_rows;
  r.bad_rows = log.bad_rows;
  std::map<std::string, std::vector<const DeliveryRecord*>> by_vendor, by_carrier;
  for (const DeliveryRecord& rec : log.records) {
    by_vendor[rec.vendor.empty() ? "vendor" : rec.vendor].push_back(&rec);
    if (!rec.carrier.empty()) by_carrier[rec.carrier].push_back(&rec);
  }
  const auto add_delay = [](const DeliveryRecord& x, Group& g) {
    if (x.status == "delivered" && !std::isnan(x.sent)) g.delivered.push_back(x.delivered - x.sent);
    // Undelivered because the handset stayed off past the validity: censored at the time
    // the carrier gave up.
    if (x.status == "undelivered" && x.error_code == 30003 && !std::isnan(x.updated) &&
        !std::isnan(x.sent))
      g.censored.push_back(x.updated - x.sent);
  };
  // Carriers own the lognormal delay: one free fit per carrier.
  std::map<std::string, std::pair<double, double>> carrier_lognormal;
  for (auto& [name, rows] : by_carrier) {
    CarrierFit cf;
    cf.name = name;
    Group g;
    for (const DeliveryRecord* x : rows) add_delay(*x, g);
    cf.delay = fit_delay_model({g}, {}, confidence);
    if (cf.delay.median_s.ok())
      carrier_lognormal[name] = {std::log(cf.delay.median_s.value), cf.delay.sigma.value};
    r.carriers.push_back(std::move(cf));
  }
  for (auto& [name, rows] : by_vendor) {
    VendorFit v;
    v.name = name;
    v.messages = rows.size();
    std::vector<const DeliveryRecord*> ordered = rows;
    const auto when = [](const DeliveryRecord* x) {
      return std::isnan(x->submitted) ? x->sent : x->submitted;
    };
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const auto* a, const auto* b) { return when(a) < when(b); });
    // failure_probability: vendor failures (failed, but not a queue expiry) against the
    // messages that reached a carrier.
    std::vector<int> fates;  // 1 failed, 0 reached a carrier
    for (const DeliveryRecord* x : ordered) {
      if (x->status == "failed" && x->error_code != 30001) fates.push_back(1);
      if (x->status == "sent" || x->status == "delivered" || x->status == "undelivered")
        fates.push_back(0);
    }
    for (const int f : fates) (f ? v.failed : v.handed) += 1;
    v.failure_probability = wilson(v.failed, v.failed + v.handed, confidence);
    if (fates.size() >= 100 && v.failed > 0) {
      // Homogeneity over 10 consecutive blocks of equal size.
      constexpr int kBlocks = 10;
      const double p = v.failure_probability.value;
      double chi2 = 0;
      for (int b = 0; b < kBlocks; ++b) {
        const std::size_t lo = fates.size() * b / kBlocks, hi = fates.size() * (b + 1) / kBlocks;
        double k = 0;
        for (std::size_t i = lo; i < hi; ++i) k += fates[i];
        const double expect = p * static_cast<double>(hi - lo);
        chi2 += (k - expect) * (k - expect) / (expect * (1 - p));
      }
      v.homogeneity_chi2 = chi2;
      v.homogeneity_df = kBlocks - 1;
      v.homogeneity_p = gamma_q(0.5 * (kBlocks - 1), 0.5 * chi2);
    }
    // Store and forward belongs to the vendor: fitted with each carrier's delay held at
    // its own fit, when every row names a fitted carrier; pooled otherwise.
    std::map<std::string, Group> groups;
    bool structured = true;
    for (const DeliveryRecord* x : rows) {
      add_delay(*x, groups[x->carrier]);
      if (!carrier_lognormal.count(x->carrier)) structured = false;
    }
    if (structured && !groups.empty()) {
      std::vector<Group> gs;
      std::vector<std::pair<double, double>> fixed;
      for (auto& [carrier, g] : groups) {
        gs.push_back(std::move(g));
        fixed.push_back(carrier_lognormal[carrier]);
      }
      v.delay = fit_delay_model(std::move(gs), fixed, confidence);
    } else {
      Group pooled;
      for (auto& [carrier, g] : groups) {
        pooled.delivered.insert(pooled.delivered.end(), g.delivered.begin(), g.delivered.end());
        pooled.censored.insert(pooled.censored.end(), g.censored.begin(), g.censored.end());
      }
      v.delay = fit_delay_model({pooled}, {}, confidence);
      if (v.delay.note.empty()) v.delay.note = "carriers unknown: one lognormal pooled over them";
    }
    std::vector<double> receipt;
    for (const DeliveryRecord* x : rows)
      if (x->status == "delivered" && !std::isnan(x->receipt))
        receipt.push_back(x->receipt - x->delivered);
    v.receipts = receipt.size();
    if (!receipt.empty()) {
      v.receipt_delay_s = median_interval(receipt, confidence);
      std::sort(receipt.begin(), receipt.end());
      v.receipt_iqr_s = quantile_sorted(receipt, 0.75) - quantile_sorted(receipt, 0.25);
    }
    // Throughput over the span of queue departures (sent, or the failure time of a
    // message the vendor failed: it took its slot too); capacity from back-to-back
    // departures — messages that waited, so left one service time after the previous.
    std::vector<std::pair<double, double>> departures;  // (left the queue, submitted)
    for (const DeliveryRecord* x : rows) {
      if (!std::isnan(x->sent))
        departures.emplace_back(x->sent, x->submitted);
      else if (x->status == "failed" && x->error_code != 30001 && !std::isnan(x->updated))
        departures.emplace_back(x->updated, x->submitted);
    }
    std::sort(departures.begin(), departures.end());
    if (departures.size() >= 2 && departures.back().first > departures.front().first) {
      const double span = departures.back().first - departures.front().first;
      const double k = static_cast<double>(departures.size() - 1);
      const double z = z_of(confidence);
      v.throughput_per_s = {k / span, std::max(0.0, k - z * std::sqrt(k)) / span,
                            (k + z * std::sqrt(k)) / span};
      std::vector<double> gaps;
      for (std::size_t i = 1; i < departures.size(); ++i)
        if (!std::isnan(departures[i].second) && departures[i].first > departures[i].second + 1e-6)
          gaps.push_back(departures[i].first - departures[i - 1].first);
      v.back_to_back = gaps.size();
      if (gaps.size() >= 20) {
        const Estimate e = estimate(gaps, confidence);
        if (e.mean > 0) v.gap_cv = e.sd / e.mean;
        if (e.mean > 0)
          v.capacity_per_s = {1 / e.mean, e.ci_high > 0 ? 1 / e.ci_high : kNoTime,
                              e.ci_low > 0 ? 1 / e.ci_low : INFINITY};
      }
    }
    r.vendors.push_back(std::move(v));
  }
  return r;
}

namespace {

std::string num(double v, int digits = 3) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}
std::string pct(double v) {
  return std::isnan(v) ? "n/a" : num(100 * v, 3) + "%";
}
std::string dur(double s) {
  if (std::isnan(s)) return "n/a";
  if (s < 1) return num(s * 1000) + "ms";
  if (s < 120) return num(s) + "s";
  if (s < 2 * 3600) return num(s / 60) + "m";
  return num(s / 3600) + "h";
}
std::string interval(const Interval& i, std::string (*f)(double)) {
  return "[" + f(i.low) + ", " + f(i.high) + "]";
}
std::string plain(double v) {
  return num(v, 3);
}
std::string rate(double v) {
  return std::isnan(v) ? "n/a" : num(v, 4) + "/s";
}

void delay_lines(std::ostringstream& o, const DelayFit& f, bool carrier_side, int conf) {
  if (!(carrier_side ? f.median_s.ok() : f.first_attempt_failure.ok())) {
    o << "      # delay not fitted: " << f.note << "\n";
    return;
  }
  if (carrier_side) {
    o << "      delay_median: " << dur(f.median_s.value) << "   # " << conf << "% CI "
      << interval(f.median_s, dur) << "\n";
    o << "      delay_sigma: " << plain(f.sigma.value) << "   # " << conf << "% CI "
      << interval(f.sigma, plain) << "\n";
  } else {
    o << "      first_attempt_failure: " << pct(f.first_attempt_failure.value) << "   # " << conf
      << "% CI " << interval(f.first_attempt_failure, pct) << "\n";
    o << "      offline_mean: " << dur(f.offline_mean_s.value) << "   # " << conf << "% CI "
      << interval(f.offline_mean_s, dur) << "\n";
  }
  o << (carrier_side
            ? "      # fit: lognormal carrier delay + exponential store and forward, "
            : "      # fit: exponential store and forward after each carrier's fitted delay, ");
  o << f.delivered << " delivered, " << f.censored
    << " censored; Kolmogorov-Smirnov D=" << num(f.ks_d) << ", p=" << num(f.ks_p, 2)
    << (f.note.empty() ? "" : "; " + f.note) << "\n";
}

}  // namespace

std::string fit_yaml(const FitResult& r) {
  std::ostringstream o;
  const int conf = static_cast<int>(std::lround(100 * r.confidence));
  o << "# faultline fit " << r.path << " (" << r.format << "): " << r.records << " messages";
  if (r.other_rows) o << ", " << r.other_rows << " other rows ignored";
  if (!r.bad_rows.empty()) o << ", " << r.bad_rows.size() << " bad rows skipped (stderr)";
  o << "; " << conf << "% confidence intervals\n";
  o << "infrastructure:\n  vendors:\n";
  for (const VendorFit& v : r.vendors) {
    o << "    " << v.name << ":   # " << v.messages << " messages\n";
    if (v.capacity_per_s.ok()) {
      o << "      capacity: " << rate(v.capacity_per_s.value) << "   # " << conf << "% CI "
        << interval(v.capacity_per_s, rate) << " from " << v.back_to_back
        << " back-to-back sends\n      # fit: the model's service time is a constant; the "
           "gaps' coefficient of variation is "
        << num(v.gap_cv) << "\n";
    } else {
      o << "      # capacity: not identifiable, the queue never backed up (" << v.back_to_back
        << " back-to-back sends); it is at least the observed throughput\n";
    }
    o << "      # observed throughput: " << rate(v.throughput_per_s.value) << " " << conf << "% CI "
      << interval(v.throughput_per_s, rate) << "\n";
    o << "      failure_probability: " << pct(v.failure_probability.value) << "   # " << conf
      << "% CI " << interval(v.failure_probability, pct) << ", " << v.failed << " of "
      << v.failed + v.handed << " failed\n";
    if (!std::isnan(v.homogeneity_chi2))
      o << "      # fit: constant over time? chi-square over " << v.homogeneity_df + 1
        << " blocks = " << num(v.homogeneity_chi2) << ", df=" << v.homogeneity_df
        << ", p=" << num(v.homogeneity_p, 2) << "\n";
    else
      o << "      # fit: too few failures to test constancy over time\n";
    delay_lines(o, v.delay, false, conf);
    if (v.receipt_delay_s.ok())
      o << "      receipt_delay: " << dur(v.receipt_delay_s.value) << "   # median, " << conf
        << "% CI " << interval(v.receipt_delay_s, dur) << "\n      # fit: the model's receipt "
        << "delay is a constant; observed interquartile range " << dur(v.receipt_iqr_s) << " over "
        << v.receipts << " receipts\n";
    else
      o << "      # receipt_delay: the log has no receipt times\n";
  }
  if (!r.carriers.empty()) {
    o << "  carriers:\n";
    for (const CarrierFit& c : r.carriers) {
      o << "    " << c.name << ":\n";
      delay_lines(o, c.delay, true, conf);
    }
  } else {
    o << "  # carriers: the log names no carrier\n";
  }
  return o.str();
}

std::string fit_json(const FitResult& r) {
  const auto iv = [](const Interval& i) {
    nlohmann::ordered_json j;
    j["value"] = std::isnan(i.value) ? nlohmann::ordered_json() : nlohmann::ordered_json(i.value);
    j["ci_low"] = std::isfinite(i.low) ? nlohmann::ordered_json(i.low) : nlohmann::ordered_json();
    j["ci_high"] =
        std::isfinite(i.high) ? nlohmann::ordered_json(i.high) : nlohmann::ordered_json();
    return j;
  };
  const auto num_or_null = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  const auto delay = [&](const DelayFit& f) {
    nlohmann::ordered_json j;
    j["delivered"] = f.delivered;
    j["censored"] = f.censored;
    j["delay_median_s"] = iv(f.median_s);
    j["delay_sigma"] = iv(f.sigma);
    j["first_attempt_failure"] = iv(f.first_attempt_failure);
    j["offline_mean_s"] = iv(f.offline_mean_s);
    j["ks_d"] = num_or_null(f.ks_d);
    j["ks_p"] = num_or_null(f.ks_p);
    j["note"] = f.note;
    return j;
  };
  nlohmann::ordered_json out;
  out["path"] = r.path;
  out["format"] = r.format;
  out["confidence"] = r.confidence;
  out["records"] = r.records;
  out["other_rows"] = r.other_rows;
  out["bad_rows"] = nlohmann::ordered_json::array();
  for (const BadRow& b : r.bad_rows) out["bad_rows"].push_back({{"line", b.line}, {"why", b.why}});
  out["vendors"] = nlohmann::ordered_json::array();
  for (const VendorFit& v : r.vendors) {
    nlohmann::ordered_json j;
    j["name"] = v.name;
    j["messages"] = v.messages;
    j["failure_probability"] = iv(v.failure_probability);
    j["failed"] = v.failed;
    j["homogeneity_p"] = num_or_null(v.homogeneity_p);
    j["delay"] = delay(v.delay);
    j["receipt_delay_s"] = iv(v.receipt_delay_s);
    j["throughput_per_s"] = iv(v.throughput_per_s);
    j["capacity_per_s"] = iv(v.capacity_per_s);
    j["back_to_back"] = v.back_to_back;
    j["gap_cv"] = num_or_null(v.gap_cv);
    out["vendors"].push_back(j);
  }
  out["carriers"] = nlohmann::ordered_json::array();
  for (const CarrierFit& c : r.carriers)
    out["carriers"].push_back({{"name", c.name}, {"delay", delay(c.delay)}});
  return out.dump(2) + "\n";
}

}  // namespace faultline::vendor
