// Seeded random streams. Every component draws from its own stream, whose seed is
// (run seed, stable hash of the component's name) — so adding a vendor never shifts the
// draws of any other component (FoundationDB's lesson on one shared generator).
//
// Two kinds:
// - RandomStream: a sequential generator (xoshiro256**) for draws whose order is fixed by
//   the component itself (e.g. building the population in index order).
// - KeyedRandom: counter-based. The draw for (borrower 17, reminder 2) is a pure function
//   of the stream seed and those keys, independent of when or whether other draws happen.
//   This is what makes common random numbers hold across strategies: a strategy that
//   sends more messages, or in another order, still sees the same draw for each one.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/random/distributions.h"
#include "sim/random/fast_draws.h"
#include "sim/random/hash.h"

namespace faultline {

class RandomStream {
 public:
  RandomStream(std::uint64_t run_seed, std::string_view name);
  explicit RandomStream(std::uint64_t seed);
  // Raw state, for checking the generator against its published reference outputs.
  static RandomStream from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                                 std::uint64_t s3) {
    RandomStream r(0);
    r.s_[0] = s0, r.s_[1] = s1, r.s_[2] = s2, r.s_[3] = s3;
    return r;
  }

  std::uint64_t next_u64();
  double uniform01() { return to_unit(next_u64()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) { return to_int(next_u64(), lo, hi); }
  bool bernoulli(double p) { return uniform01() < p; }
  double exponential(double mean) { return faultline::exponential(uniform01(), mean); }
  double normal(double mean, double sd) {
    const double u1 = uniform01();
    return mean + sd * standard_normal(u1, uniform01());
  }
  double lognormal(double median, double sigma) {
    const double u1 = uniform01();
    return faultline::lognormal(u1, uniform01(), median, sigma);
  }

 private:
  std::uint64_t s_[4];
};

class KeyedRandom {
 public:
  KeyedRandom(std::uint64_t run_seed, std::string_view name) : key_(stream_seed(run_seed, name)) {}

  std::uint64_t u64(std::uint64_t a, std::uint64_t b = 0) const { return combine(key_, a, b); }
  double uniform01(std::uint64_t a, std::uint64_t b = 0) const { return to_unit(u64(a, b)); }
  // The draws (a, b) for one b and many a — a spread batch's send offsets, one per
  // borrower of one rule —, with b's share of the hash computed once:
  // with_second(b).uniform01(a) == uniform01(a, b), bit for bit.
  class WithSecond {
   public:
    double uniform01(std::uint64_t a) const { return to_unit(mix64(combine(key_, a) ^ b_)); }

   private:
    friend class KeyedRandom;
    WithSecond(std::uint64_t key, std::uint64_t b) : key_(key), b_(mix64(b)) {}
    std::uint64_t key_;
    std::uint64_t b_;  // mix64(b): combine(combine(key, a), b) = mix64(combine(key, a) ^ b_)
  };
  WithSecond with_second(std::uint64_t b) const { return WithSecond(key_, b); }
  // A keyed draw changes no state, so skipping it when p decides alone is exact: uniform01
  // is in [0, 1), never < 0 and always < 1 (NaN still draws, and still gives false). Most
  // of a journey's checks have p = 0 in most scenarios (docs/performance.md, issue 21).
  bool bernoulli(double p, std::uint64_t a, std::uint64_t b = 0) const {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return uniform01(a, b) < p;
  }
  double exponential(double mean, std::uint64_t a, std::uint64_t b = 0) const {
    return faultline::exponential(uniform01(a, b), mean);
  }
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi, std::uint64_t a,
                           std::uint64_t b = 0) const {
    return to_int(u64(a, b), lo, hi);
  }
  // round_to_time(exponential(mean, a, b)), bit for bit, without libm's log1p (fast_draws.h).
  SimTime exponential_time(double mean, std::uint64_t a, std::uint64_t b = 0) const {
    return faultline::exponential_time(uniform01(a, b), mean);
  }
  // Two-uniform draws use the sub-keys (b, 0) and (b, 1) of a salted b, so they never
  // collide with the single draws at (a, b).
  double lognormal(double median, double sigma, std::uint64_t a, std::uint64_t b = 0) const {
    const std::uint64_t salted = mix64(b ^ 0x6c6f676e6f726d31ULL);
    return faultline::lognormal(to_unit(combine(key_, a, salted)),
                                to_unit(combine(key_, a, salted + 1)), median, sigma);
  }
  // static_cast<float>(lognormal(median, sigma, a, b)), bit for bit, without libm's log1p
  // and cos (fast_draws.h).
  float lognormal_float(double median, double sigma, std::uint64_t a, std::uint64_t b = 0) const {
    const std::uint64_t salted = mix64(b ^ 0x6c6f676e6f726d31ULL);
    return faultline::lognormal_float(to_unit(combine(key_, a, salted)),
                                      to_unit(combine(key_, a, salted + 1)), median, sigma);
  }

 private:
  std::uint64_t key_;
};

}  // namespace faultline
