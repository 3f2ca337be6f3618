#include "sim/random/stream.h"

namespace faultline {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
}  // namespace

RandomStream::RandomStream(std::uint64_t run_seed, std::string_view name)
    : RandomStream(stream_seed(run_seed, name)) {}

RandomStream::RandomStream(std::uint64_t seed) {
  // Expand the seed with SplitMix64, as xoshiro's authors recommend; never all-zero.
  std::uint64_t x = seed;
  for (std::uint64_t& word : s_) {
    word = mix64(x);
    x += 0x9e3779b97f4a7c15ULL;
  }
}

// xoshiro256** 1.0 (Blackman & Vigna, public domain reference algorithm).
std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

}  // namespace faultline
