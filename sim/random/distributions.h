// Distributions written out in-tree, as functions of uniform draws. <random>'s
// distributions are not used: their algorithms are unspecified and differ between
// libstdc++, libc++ and MSVC, which would break "same seed ⇒ same numbers" across
// machines. Each function documents how many uniforms it consumes.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace faultline {

// 53 random bits → [0, 1).
constexpr double to_unit(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

__extension__ using uint128 = unsigned __int128;  // GCC/Clang builtin; portable enough here

// Integer in [lo, hi] by Lemire's multiply-shift (bias below (hi-lo+1)/2^64). One u64.
inline std::int64_t to_int(std::uint64_t bits, std::int64_t lo, std::int64_t hi) {
  const auto range = static_cast<uint128>(static_cast<std::uint64_t>(hi - lo) + 1);
  return lo + static_cast<std::int64_t>((static_cast<uint128>(bits) * range) >> 64);
}

// Exponential with the given mean, by inversion. One uniform.
inline double exponential(double u, double mean) {
  return -mean * std::log1p(-u);
}

// Standard normal by Box–Muller (cosine branch only, so it is stateless). Two uniforms.
inline double standard_normal(double u1, double u2) {
  const double r = std::sqrt(-2.0 * std::log1p(-u1));
  return r * std::cos(2.0 * M_PI * u2);
}

// Lognormal given the median and the shape sigma of the underlying normal. Two uniforms.
inline double lognormal(double u1, double u2, double median, double sigma) {
  return median * std::exp(sigma * standard_normal(u1, u2));
}

// An empirical distribution: either discrete (values with weights) or continuous
// (sorted sample points, interpolated linearly between order statistics).
class Empirical {
 public:
  static Empirical discrete(std::span<const double> values, std::span<const double> weights);
  static Empirical continuous(std::span<const double> sorted_samples);
  // One uniform.
  double sample(double u) const;
  bool is_continuous() const { return continuous_; }

 private:
  std::vector<double> values_;
  std::vector<double> cumulative_;  // discrete only: normalised running sum of weights
  bool continuous_ = false;
};

}  // namespace faultline
