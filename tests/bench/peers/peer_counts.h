// What every peer harness of the reference workload prints (tests/bench/peers/): one line
// of counts that depend only on the keyed draws, never on how a tool breaks time ties, so
// the hand-written loop, SimGrid's timers and SimPy must print the same line for the same
// N and seed (check_counts.sh). SimPy's model prints it from Python in the same format.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/bench/reference_workload.h"

namespace faultline::bench {

// `<program> BORROWERS [SEED]`; exit 2 with a usage line on anything else.
inline ReferenceConfig peer_config(int argc, char** argv, const char* usage) {
  ReferenceConfig c;
  const auto number = [&](const char* text) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || text[0] == '-') {
      std::fprintf(stderr, "%s: '%s' is not a non-negative integer\nusage: %s\n", argv[0], text,
                   usage);
      std::exit(2);
    }
    return static_cast<std::uint64_t>(v);
  };
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s\n", usage);
    std::exit(2);
  }
  c.borrowers = number(argv[1]);
  if (c.borrowers > detail::kMaxBorrowers) {
    std::fprintf(stderr, "%s: at most %llu borrowers\n", argv[0],
                 static_cast<unsigned long long>(detail::kMaxBorrowers));
    std::exit(2);
  }
  if (argc == 3) c.seed = number(argv[2]);
  return c;
}

inline void print_peer_counts(const ReferenceConfig& c, const ReferenceResult& r) {
  std::printf("borrowers=%llu events=%llu reminders=%llu delivered=%llu paid=%llu missed=%llu\n",
              static_cast<unsigned long long>(c.borrowers),
              static_cast<unsigned long long>(r.events),
              static_cast<unsigned long long>(r.reminders),
              static_cast<unsigned long long>(r.delivered), static_cast<unsigned long long>(r.paid),
              static_cast<unsigned long long>(c.borrowers - r.paid));
}

}  // namespace faultline::bench
