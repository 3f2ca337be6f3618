// `--seed N` for every command that takes one. Boost's unsigned parser accepts "-1" and
// wraps it to 2^64-1, while `seed: -1` in a scenario is refused; this option type
// accepts only a whole number from 0 to 2^64-1, in the same words as the scenario
// parser, so a negative or fractional seed is exit 2 everywhere.
#pragma once

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace faultline::cli {

struct SeedArg {
  std::uint64_t value = 0;
};

// Found by Boost.Program_options through argument-dependent lookup.
inline void validate(boost::any& out, const std::vector<std::string>& values, SeedArg*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(out);
  const std::string& text = po::validators::get_single_string(values);
  const bool digits = !text.empty() && text.size() <= 20 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  errno = 0;
  const unsigned long long v = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE)
    throw po::error("--seed '" + text + "': expected a whole number from 0 to " +
                    std::to_string(UINT64_MAX));
  out = SeedArg{static_cast<std::uint64_t>(v)};
}

}  // namespace faultline::cli
