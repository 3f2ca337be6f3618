// Stable hashing for seeds and stream names. Defined here, in-tree, because std::hash
// differs between standard libraries and releases: a stream derived from it would give
// other numbers on another machine. These functions are part of the reproducibility
// contract — changing one changes every published result, so the golden tests pin them.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline {

// FNV-1a, 64-bit: the stable hash of a component's name.
constexpr std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// SplitMix64's finaliser: a bijective avalanche mix of 64 bits.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Combines an ordered list of keys into one well-mixed 64-bit value.
constexpr std::uint64_t combine(std::uint64_t a, std::uint64_t b) {
  return mix64(a ^ mix64(b));
}
constexpr std::uint64_t combine(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return combine(combine(a, b), c);
}

// The seed of a named component's stream in one run.
constexpr std::uint64_t stream_seed(std::uint64_t run_seed, std::string_view name) {
  return combine(run_seed, fnv1a64(name));
}

}  // namespace faultline
