// The two draws every run makes per borrower — a lognormal amount (stored as a float) and
// an exponential delay (rounded to a microsecond) — computed faster than through libm and
// yet bit for bit what the libm expression of distributions.h gives. Issue 21 found
// glibc's log1p, cos and exp at ~17 % of the reference workload's CPU (log1p alone ~16 ns
// a call); here a log is ~5 ns, a cos ~4 and an exp ~4.
//
// How "faster" stays "identical" (the idea behind Ziv's correctly rounded libm): the value
// is computed with table-driven polynomials whose error against the true value is bounded
// by the analysis below; glibc's functions are within an ulp or two of the true value
// too. The result is then rounded (to a float, or to a microsecond), and rounding is
// monotone: if both ends of an interval around the fast value, much wider than the two
// errors together, round to the same number, glibc's value — inside the interval —
// rounds to it as well. Otherwise (a value within the margin of a rounding boundary: ~1
// in 3,000 amounts, ~1 in 100 delays with a 6 h mean) the libm expression itself is
// evaluated. So no result depends on the polynomials, only the time does.
// tests/unit/fast_draws_test.cc checks the bounds, and the identity on millions of draws
// and at the extremes.
//
// The error analysis (u = 2^-53, the double rounding unit):
// - log_of_unit (log x, x in (0, 1]): near 1 a series in the exact f = x - 1, relative
//   error < 2^-50; elsewhere x = 2^e·m with m = c(1 + r), r = m·(1/c) - 1 within u
//   (the product is near 1), log c from the table within an ulp, the series cut below
//   2^-58: absolute error < 2^-50, plus half an ulp of the result.
// - cos_of_turns (cos 2πu): from the nearest 256th of a turn (an exact split of u), the
//   table's cos and sin within an ulp, the series cut below 2^-56: absolute error
//   < 2^-51. glibc's cos is given 2πu rounded: 2^-50.4 away at most.
// - exp_of (e^y, |y| ≤ 32): the reduction by k·ln2/64 is exact up to its last
//   subtraction, 2^(j/64) from the table within an ulp, the series cut below 2^-54:
//   relative error < 2^-50.5.
// - lognormal: z = sqrt(-2 log(1 - u1))·cos(2πu2) has |z| < 8.6 (u1 ≤ 1 - 2^-53). The
//   log's error moves sqrt(-2 log) by at most 2^-47.5 (it is divided by sqrt(-2 log),
//   ≥ 0.17 where the error is absolute), so z is within 2^-45 of the true value, sigma·z
//   (sigma ≤ 3, the parser's bound) within 2^-43.4, and the amount within 2^-43.3
//   relative; glibc's within less. The margin is 2^-36: over 100 times the two together.
// - exponential: -mean·log(1 - u) is within mean·2^-45.5 of glibc's (both logs within
//   2^-50 plus an ulp of a result below 37, and the product's rounding). The margin is
//   mean·2^-42: 11 times that.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "sim/kernel/time.h"
#include "sim/random/distributions.h"

namespace faultline {

namespace fast_draws {

// ln 2 = kLn2High + kLn2Low; kLn2High has 33 significant bits, so k·kLn2High is exact for
// any integer |k| < 2^20 (and so is k·kLn2High/64).
constexpr double kLn2High = 0x1.62e42ffp-1;
constexpr double kLn2Low = -0x1.718432a1b0e26p-35;
constexpr double kRoundToInteger = 0x1.8p52;  // (x + it) - it is x rounded, for |x| < 2^51

// Tables of the reductions, made once from libm's own log, cos, sin and exp2 (each within
// an ulp): 128 centres c of [1, 2) with 1/c and log c, cos and sin of the 256 turns
// j/256, and 2^(j/64).
struct Tables {
  struct LogEntry {
    double inv_c;  // 1/c rounded; log_c is -log(inv_c), so the rounding does not matter
    double log_c;
  };
  LogEntry log[128];
  double cos_turn[256];
  double sin_turn[256];
  double exp2_64th[64];  // 2^(j/64)
  Tables() {
    for (int j = 0; j < 64; ++j) exp2_64th[j] = std::exp2(j / 64.0);
    for (int j = 0; j < 128; ++j) {
      const double inv_c = 1.0 / (1.0 + (j + 0.5) / 128);
      log[j] = {inv_c, -std::log(inv_c)};
    }
    for (int j = 0; j < 256; ++j) {
      cos_turn[j] = std::cos(2 * M_PI * j / 256);
      sin_turn[j] = std::sin(2 * M_PI * j / 256);
    }
  }
};
inline const Tables& tables() {
  static const Tables t;
  return t;
}

// log(x) for x in (0, 1] (x = 1 - u of a uniform u in [0, 1), exact in a double).
// Within 2^-50 of the true value relative to it near 1 (x > 1 - 2^-6: |log x| < 2^-6),
// and in absolute terms elsewhere.
inline double log_of_unit(double x) {
  if (x > 1 - 0x1p-6) {
    // log(1 + f) = f - f²/2 + … - f^8/8 for f = x - 1 (exact); |f| ≤ 2^-6, so the next
    // term is below 2^-51 of the sum. Taken for 1 draw in 64: a predictable branch.
    const double f = x - 1.0;
    double p = -1.0 / 8;
    p = p * f + 1.0 / 7;
    p = p * f - 1.0 / 6;
    p = p * f + 1.0 / 5;
    p = p * f - 1.0 / 4;
    p = p * f + 1.0 / 3;
    p = p * f - 0.5;
    return f + f * (f * p);
  }
  // x = 2^e · m, m in [1, 2); m = c · (1 + r) with c the centre of m's 128th of [1, 2):
  // log x = e·ln 2 + log c + log(1 + r), |r| < 2^-8. r = m/c - 1 is computed as
  // m·(1/c) - 1: the product is near 1, so r is within 2^-53 in absolute terms.
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const int e = static_cast<int>(bits >> 52) - 1023;  // x > 0: no sign bit
  const double m =
      std::bit_cast<double>((bits & 0x000f'ffff'ffff'ffffULL) | 0x3ff0'0000'0000'0000ULL);
  const Tables::LogEntry& t = tables().log[(bits >> 45) & 127];
  const double r = m * t.inv_c - 1.0;
  // log(1 + r) = r - r²/2 + … + r^6/6; the next term is below 2^-58.
  double p = 1.0 / 6;
  p = p * r - 1.0 / 5;
  p = p * r + 1.0 / 4;
  p = p * r - 1.0 / 3;
  p = p * r + 0.5;
  const double log1p_r = r - r * (r * p);
  const double de = static_cast<double>(e);
  return de * kLn2High + (t.log_c + (log1p_r + de * kLn2Low));
}

// cos(2π·u) for u in [0, 1), within 2^-51 absolutely. No branch on the quadrant: the
// angle's quadrant is random, and a mispredicted branch cost more than the polynomial.
inline double cos_of_turns(double u) {
  // u = (j + d)/256 with j the nearest 256th (t - j is exact: t has u's 53 bits), so
  // cos 2πu = cos(2πj/256) cos θ - sin(2πj/256) sin θ with θ = 2π d/256, |θ| ≤ 0.0123.
  const double t = u * 256;
  const double jd = (t + kRoundToInteger) - kRoundToInteger;
  const double theta = (t - jd) * (2 * M_PI / 256);
  const double th2 = theta * theta;
  // cos θ to θ^6/6! and sin θ to θ^5/5!: the next terms are below 2^-56.
  const double cos_t = 1.0 + th2 * (-0.5 + th2 * (1.0 / 24 - th2 * (1.0 / 720)));
  const double sin_t = theta + theta * (th2 * (-1.0 / 6 + th2 * (1.0 / 120)));
  const auto j = static_cast<std::size_t>(static_cast<std::int64_t>(jd) & 255);
  const Tables& tab = tables();
  return tab.cos_turn[j] * cos_t - tab.sin_turn[j] * sin_t;
}

// e^y for |y| ≤ 32 (sigma·z of a lognormal: |z| < 8.6, sigma ≤ 3), within 2^-50.5.
inline double exp_of(double y) {
  // y = (64m + j)·ln2/64 + r with |r| ≤ ln2/128: e^y = 2^m · 2^(j/64) · e^r. ln2/64 is
  // split in two, the high part with 33 significant bits, so k·high is exact and so is
  // y - k·high (Sterbenz); the series of e^r is cut where the next term is < 2^-54.
  constexpr double k64OverLn2 = 0x1.71547652b82fep+6;
  const double kd = (y * k64OverLn2 + kRoundToInteger) - kRoundToInteger;
  const double r = (y - kd * (kLn2High / 64)) - kd * (kLn2Low / 64);
  const double e_r = 1.0 + (r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  const auto k = static_cast<std::int64_t>(kd);
  const double two_to_m = std::bit_cast<double>(static_cast<std::uint64_t>((k >> 6) + 1023) << 52);
  return two_to_m * tables().exp2_64th[k & 63] * e_r;
}

// The two draws before rounding, for sigma in [0, 3]: within 2^-43 (lognormal,
// relative) and mean·2^-45.5 (exponential, absolute) of glibc's, by the analysis above.
inline double lognormal_estimate(double u1, double u2, double median, double sigma) {
  const double z = std::sqrt(-2.0 * log_of_unit(1.0 - u1)) * cos_of_turns(u2);
  return median * exp_of(sigma * z);
}
inline double exponential_estimate(double u, double mean) {
  return -mean * log_of_unit(1.0 - u);
}

}  // namespace fast_draws

// static_cast<float>(lognormal(u1, u2, median, sigma)), bit for bit.
inline float lognormal_float(double u1, double u2, double median, double sigma) {
  // The analysis's bounds: sigma in [0, 3] (the parser's too), and 1 - u1 exact, as it is
  // for every uniform of to_unit (a multiple of 2^-53 in [0, 1)). A tiny u1 that is not
  // would lose its log in 1 - u1, and sqrt(-2 log) magnifies that near 0.
  if (sigma >= 0 && sigma <= 3 && u1 >= 0 && u1 < 1 && 1.0 - (1.0 - u1) == u1) {
    const double v = fast_draws::lognormal_estimate(u1, u2, median, sigma);
    constexpr double kMargin = 0x1p-36;
    const auto low = static_cast<float>(v * (1 - kMargin));
    if (low == static_cast<float>(v * (1 + kMargin))) return low;
  }
  return static_cast<float>(lognormal(u1, u2, median, sigma));  // near a float boundary
}

// round_to_time(exponential(u, mean)), bit for bit.
inline SimTime exponential_time(double u, double mean) {
  const double v = fast_draws::exponential_estimate(u, mean);
  // For 0 <= v < 2^51, w = v + 0.5 is exact and round_to_time(v) is w's integer part k;
  // every value within `margin` of v rounds to k as well when w is that far inside
  // (k, k + 1) (w - k is exact too). One predictable branch: two unpredictable ones (in
  // round_to_time, twice) cost more than the logarithm saved.
  const double margin = mean * 0x1p-42;
  // u < 1: at u = 1 the libm expression is infinite. (1 - u need not be exact here: its
  // rounding moves the log by at most 2^-53, well inside the margin.)
  if (u >= 0 && u < 1 && v >= 0 && v < 0x1p51) {
    const double w = v + 0.5;
    const auto k = static_cast<SimTime>(w);
    const double above = w - static_cast<double>(k);
    if (above > margin && above < 1 - margin) return k;
  }
  return round_to_time(exponential(u, mean));  // near a microsecond boundary
}

}  // namespace faultline
