// Random streams: reference outputs, pinned golden values (the reproducibility contract),
// stream independence, and distribution moments with tolerances derived from the
// sampling error (5 standard errors: a false alarm about once in 1.7 million runs).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/random/distributions.h"
#include "sim/random/hash.h"
#include "sim/random/stream.h"

namespace faultline {
namespace {

TEST(Hash, Fnv1aMatchesPublishedVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(RandomStream, XoshiroMatchesReferenceImplementation) {
  // First outputs of the reference xoshiro256** from state {1, 2, 3, 4}.
  RandomStream r = RandomStream::from_state(1, 2, 3, 4);
  EXPECT_EQ(r.next_u64(), 11520ULL);
  EXPECT_EQ(r.next_u64(), 0ULL);
  EXPECT_EQ(r.next_u64(), 1509978240ULL);
  EXPECT_EQ(r.next_u64(), 1215971899390074240ULL);
}

// Golden values: if these change, every published result changes. Only update them
// deliberately, with a note in the changelog.
TEST(RandomStream, GoldenValuesForSeedAndName) {
  RandomStream r(20260401, "vendor/alpha");
  EXPECT_EQ(r.next_u64(), 0x400553f5f1a41f78ULL);
  EXPECT_EQ(r.next_u64(), 0x3d04d45fbf1f7e3aULL);
  EXPECT_EQ(r.next_u64(), 0x7acbe9962ea3f129ULL);
  const KeyedRandom keyed(20260401, "borrower/behaviour");
  EXPECT_EQ(keyed.u64(0, 0), 0x4c7eba543d451947ULL);
  EXPECT_EQ(keyed.u64(17, 2), 0x2020eb815326dcc0ULL);
}

TEST(RandomStream, AddingAComponentDoesNotChangeAnotherComponentsDraws) {
  auto draws_of_alpha = [](bool with_beta) {
    RandomStream alpha(7, "vendor/alpha");
    RandomStream beta(7, "vendor/beta");
    std::vector<std::uint64_t> out;
    for (int i = 0; i < 100; ++i) {
      out.push_back(alpha.next_u64());
      if (with_beta) beta.next_u64();  // interleaved draws of the new component
    }
    return out;
  };
  EXPECT_EQ(draws_of_alpha(false), draws_of_alpha(true));
  RandomStream alpha(7, "vendor/alpha"), beta(7, "vendor/beta");
  EXPECT_NE(alpha.next_u64(), beta.next_u64()) << "different names give different streams";
}

TEST(KeyedRandom, DrawsDependOnKeysNotOnOrder) {
  const KeyedRandom k(99, "borrower/behaviour");
  const double forward = k.uniform01(5, 1);
  for (int i = 0; i < 50; ++i) k.uniform01(i, 0);
  EXPECT_EQ(k.uniform01(5, 1), forward);
  EXPECT_NE(k.u64(5, 1), k.u64(1, 5)) << "key order matters";
  EXPECT_NE(KeyedRandom(100, "borrower/behaviour").u64(5, 1), k.u64(5, 1)) << "seed matters";
}

// bernoulli skips the draw when p alone decides (issue 21): the outcome must be the one
// the draw would have given, for every key, so results stay byte-identical.
TEST(KeyedRandom, BernoulliShortCutAgreesWithTheDraw) {
  const KeyedRandom k(7, "payment/risk");
  const double ps[] = {-0.5, 0.0, 1e-12, 0.3, 1.0 - 1e-12, 1.0, 1.5, std::nan("")};
  for (std::uint64_t a = 0; a < 2000; ++a)
    for (const double p : ps) EXPECT_EQ(k.bernoulli(p, a, 3), k.uniform01(a, 3) < p) << p;
  EXPECT_FALSE(k.bernoulli(0.0, 1));
  EXPECT_TRUE(k.bernoulli(1.0, 1));
}

// with_second hoists b's share of the hash out of a loop over a (a spread batch's send
// offsets, issue 21): the draw must be the two-key one, bit for bit, or every spread
// reminder would move.
TEST(KeyedRandom, WithSecondIsTheTwoKeyDraw) {
  const KeyedRandom k(20260401, "reminder/spread");
  for (const std::uint64_t b :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{7}, ~std::uint64_t{0}}) {
    const KeyedRandom::WithSecond fixed = k.with_second(b);
    for (std::uint64_t a = 0; a < 5000; ++a) EXPECT_EQ(fixed.uniform01(a), k.uniform01(a, b)) << a;
    EXPECT_EQ(fixed.uniform01(~std::uint64_t{0}), k.uniform01(~std::uint64_t{0}, b));
  }
  EXPECT_NE(k.with_second(1).uniform01(5), k.with_second(2).uniform01(5)) << "b matters";
}

constexpr int kN = 200000;

TEST(Distributions, UniformMoments) {
  RandomStream r(1, "test/uniform");
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < kN; ++i) {
    const double u = r.uniform01();
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  const double se = std::sqrt(1.0 / 12.0 / kN);
  EXPECT_NEAR(sum / kN, 0.5, 5 * se);
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
}

TEST(Distributions, UniformIntCoversRangeEvenly) {
  RandomStream r(2, "test/int");
  std::vector<int> counts(28, 0);
  for (int i = 0; i < kN; ++i) {
    const auto v = r.uniform_int(1, 28);
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 28);
    ++counts[v - 1];
  }
  // Chi-square with 27 degrees of freedom; 99.999th percentile is about 70.
  const double expected = static_cast<double>(kN) / 28;
  double chi2 = 0;
  for (const int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 70.0);
}

TEST(Distributions, ExponentialMean) {
  RandomStream r(3, "test/exp");
  double sum = 0;
  for (int i = 0; i < kN; ++i) sum += r.exponential(6.0);
  EXPECT_NEAR(sum / kN, 6.0, 5 * 6.0 / std::sqrt(kN));
}

TEST(Distributions, BernoulliRate) {
  const KeyedRandom k(4, "test/bernoulli");
  int hits = 0;
  for (int i = 0; i < kN; ++i) hits += k.bernoulli(0.3, i);
  EXPECT_NEAR(static_cast<double>(hits) / kN, 0.3, 5 * std::sqrt(0.3 * 0.7 / kN));
}

TEST(Distributions, NormalMoments) {
  RandomStream r(5, "test/normal");
  double sum = 0, sq = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = r.normal(10.0, 2.0);
    sum += x;
    sq += x * x;
  }
  const double mean = sum / kN;
  const double var = sq / kN - mean * mean;
  EXPECT_NEAR(mean, 10.0, 5 * 2.0 / std::sqrt(kN));
  // Var of the sample variance for a normal is 2σ⁴/n.
  EXPECT_NEAR(var, 4.0, 5 * std::sqrt(2.0 * 16.0 / kN));
}

TEST(Distributions, LognormalMedian) {
  const KeyedRandom k(6, "test/lognormal");
  int below = 0;
  for (int i = 0; i < kN; ++i) below += k.lognormal(7.0, 0.5, i) < 7.0;
  EXPECT_NEAR(static_cast<double>(below) / kN, 0.5, 5 * std::sqrt(0.25 / kN));
}

TEST(Distributions, EmpiricalDiscreteFollowsWeights) {
  const std::vector<double> values{1, 2, 3};
  const std::vector<double> weights{1, 2, 7};
  const Empirical e = Empirical::discrete(values, weights);
  RandomStream r(7, "test/empirical");
  std::vector<int> counts(3, 0);
  for (int i = 0; i < kN; ++i) ++counts[static_cast<int>(e.sample(r.uniform01())) - 1];
  for (int i = 0; i < 3; ++i) {
    const double p = weights[i] / 10.0;
    EXPECT_NEAR(static_cast<double>(counts[i]) / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
  }
}

TEST(Distributions, EmpiricalContinuousInterpolatesQuantiles) {
  const std::vector<double> samples{0, 10, 20};
  const Empirical e = Empirical::continuous(samples);
  EXPECT_DOUBLE_EQ(e.sample(0.0), 0.0);
  EXPECT_DOUBLE_EQ(e.sample(0.25), 5.0);
  EXPECT_DOUBLE_EQ(e.sample(0.75), 15.0);
  EXPECT_THROW(Empirical::continuous(std::vector<double>{3, 1}), std::invalid_argument);
  EXPECT_THROW(Empirical::discrete(samples, std::vector<double>{1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace faultline
