// What every peer harness of the reference workload prints (tests/bench/peers/): one line
// of counts that depend only on the keyed draws, never on how a tool breaks time ties, so
// the hand-written loop, SimGrid's timers and SimPy must print the same line for the same
// N and seed (check_counts.sh). SimPy's model prints it from Python in the same format.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/bench/reference_workload.h"

namespace faultline::bench {

// `BORROWERS [SEED]` (argv[0] is skipped); exit 2 with a usage line on anything else.
inline ReferenceConfig peer_config(int argc, char** argv, const char* usage) {
  ReferenceConfig c;
  const auto number = [&](const char* text) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || text[0] == '-' || errno == ERANGE) {
      std::fprintf(stderr, "'%s' is not a non-negative 64-bit integer\nusage: %s\n", text, usage);
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
    std::fprintf(stderr, "at most %llu borrowers\nusage: %s\n",
                 static_cast<unsigned long long>(detail::kMaxBorrowers), usage);
    std::exit(2);
  }
  if (argc == 3) c.seed = number(argv[2]);
  return c;
}

// `<program> FIRST|SECOND BORROWERS [SEED]`: whether the mode is FIRST, and the config;
// exit 2 with the usage line on anything else.
inline bool peer_mode(int argc, char** argv, const char* first, const char* second,
                      const char* usage, ReferenceConfig& config) {
  if (argc < 2 || (std::strcmp(argv[1], first) != 0 && std::strcmp(argv[1], second) != 0)) {
    std::fprintf(stderr, "usage: %s\n", usage);
    std::exit(2);
  }
  config = peer_config(argc - 1, argv + 1, usage);
  return std::strcmp(argv[1], first) == 0;
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
