// sim/random/fast_draws.h: the polynomials stay within the error bounds its analysis
// states (against glibc, which is what the margins must cover), and the two draws are bit
// for bit the libm expressions they replace — on a million keyed draws per case, at the
// extremes of the uniform (0, 2^-53, 1 - 2^-53) and around the series switch at 1 - 2^-6.
// Both premises are asserted too: each estimate is well inside its margin of glibc's
// value. With the exponential's margin set to 0 its identity test fails (30-day mean).
#include "sim/random/fast_draws.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/random/distributions.h"
#include "sim/random/stream.h"

namespace faultline {
namespace {

constexpr int kDraws = 1'000'000;

// The uniforms a KeyedRandom gives, plus the extremes.
std::vector<double> uniforms(std::string_view name) {
  const KeyedRandom r(20260401, name);
  std::vector<double> u;
  for (int i = 0; i < kDraws; ++i) u.push_back(r.uniform01(static_cast<std::uint64_t>(i)));
  for (int k = 0; k <= 53; ++k) {
    u.push_back(std::ldexp(1.0, -k) * (k == 0 ? 0.0 : 1.0));  // 0, 2^-1, ..., 2^-53
    u.push_back(1.0 - std::ldexp(1.0, -std::max(k, 1)));      // 1/2, ..., 1 - 2^-53
  }
  for (int k = -64; k <= 64; ++k) u.push_back(0x1p-6 + k * 0x1p-53);  // the series switch
  return u;
}

TEST(FastDraws, LogOfUnitIsWithinItsBound) {
  for (const double u : uniforms("test/log")) {
    const double libm = std::log1p(-u);
    const double fast = fast_draws::log_of_unit(1.0 - u);
    // Near 1, relative (2^-50 ours, an ulp glibc's); elsewhere absolute, plus the ulps of
    // the result both round to (|log| up to 37: an ulp of 2^-47).
    const double bound =
        u < 0x1p-6 ? 0x1p-49 * std::fabs(libm) : 0x1p-50 + 3 * 0x1p-52 * std::fabs(libm);
    ASSERT_LE(std::fabs(fast - libm), bound) << "u = " << u;
  }
}

TEST(FastDraws, CosOfTurnsIsWithinItsBound) {
  for (const double u : uniforms("test/cos")) {
    // glibc is given 2π·u rounded (2^-50.4 off at most): the bound covers both.
    ASSERT_LE(std::fabs(fast_draws::cos_of_turns(u) - std::cos(2.0 * M_PI * u)), 0x1p-49)
        << "u = " << u;
  }
}

TEST(FastDraws, ExpIsWithinItsBound) {
  for (const double u : uniforms("test/exp")) {
    const double y = (u - 0.5) * 64;  // the analysis's range, |y| <= 32
    ASSERT_LE(std::fabs(fast_draws::exp_of(y) - std::exp(y)), 0x1p-50 * std::exp(y)) << "y = " << y;
  }
}

TEST(FastDraws, LognormalFloatIsTheLibmExpression) {
  const std::vector<double> u1 = uniforms("test/lognormal/1");
  const std::vector<double> u2 = uniforms("test/lognormal/2");
  for (const double sigma : {0.0, 0.3, 0.5, 1.0, 3.0}) {
    for (const double median : {1000.0, 0.01, 12345.678}) {
      for (std::size_t i = 0; i < u1.size(); i += (sigma == 0.5 && median == 1000.0) ? 1 : 7) {
        const double exact = lognormal(u1[i], u2[i], median, sigma);
        // The margin's premise (2^-36): the estimate is within 2^-42 of glibc's value.
        ASSERT_LE(std::fabs(fast_draws::lognormal_estimate(u1[i], u2[i], median, sigma) - exact),
                  0x1p-42 * exact);
        const auto libm = static_cast<float>(exact);
        ASSERT_EQ(lognormal_float(u1[i], u2[i], median, sigma), libm)
            << "u1 = " << u1[i] << ", u2 = " << u2[i] << ", sigma = " << sigma;
      }
    }
  }
  // A tiny u1 that is not a multiple of 2^-53 (no KeyedRandom gives one): 1 - u1 rounds,
  // the fast log loses it, and sigma 3 magnifies the loss past the margin — so the libm
  // expression decides. Without that check the first mismatch comes at u1 = 2.7e-14.
  for (int k = 0; k < 20'000; ++k) {
    const double tiny = (k + 0.37) * 1e-15;
    const double u2 = 0.001 + k / 20'001.0;
    ASSERT_EQ(lognormal_float(tiny, u2, 1000, 3.0),
              static_cast<float>(lognormal(tiny, u2, 1000, 3.0)))
        << "u1 = " << tiny;
  }
  // Outside the analysed sigma range it is the libm expression itself.
  EXPECT_EQ(lognormal_float(0.3, 0.7, 1000, 4.5),
            static_cast<float>(lognormal(0.3, 0.7, 1000, 4.5)));
}

TEST(FastDraws, ExponentialTimeIsTheLibmExpression) {
  const std::vector<double> u = uniforms("test/exponential");
  // Means from 1 µs (every value near a boundary: the fallback's work) to 30 days.
  for (const double mean : {1.0, 0.5e6, static_cast<double>(6 * kHour), 30.0 * kDay}) {
    for (const double x : u) {
      // The margin's premise (mean·2^-42): the estimate is within mean·2^-45 of glibc's.
      ASSERT_LE(std::fabs(fast_draws::exponential_estimate(x, mean) - exponential(x, mean)),
                0x1p-45 * mean);
      ASSERT_EQ(exponential_time(x, mean), round_to_time(exponential(x, mean)))
          << "u = " << x << ", mean = " << mean;
    }
  }
  // A mean so large that the value leaves the exact range: the libm expression decides.
  EXPECT_EQ(exponential_time(0.999, 1e18), round_to_time(exponential(0.999, 1e18)));
}

TEST(FastDraws, KeyedDrawsUseTheSameKeysAsTheLibmOnes) {
  const KeyedRandom r(20260401, "population/product");
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    EXPECT_EQ(r.lognormal_float(1000, 0.5, i, 1), static_cast<float>(r.lognormal(1000, 0.5, i, 1)));
    EXPECT_EQ(r.exponential_time(6.0 * kHour, i, 2),
              round_to_time(r.exponential(6.0 * kHour, i, 2)));
  }
}

}  // namespace
}  // namespace faultline
