// Parsers for the quantities scenarios are written in: durations ("90s", "15m", "48h",
// "3d", "1d 6h", "500ms"), instants on the scenario clock ("12d 22:00", "09:00", "36h"),
// rates ("500/s", "20/min") and probabilities ("2%", "0.02"). Each returns the value or an
// explanation of what was expected, which the caller turns into a file:line:col error.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "sim/kernel/time.h"

namespace faultline {

template <typename T>
struct Parsed {
  std::variant<T, std::string> v;  // value, or what was wrong and what was expected
  bool ok() const { return v.index() == 0; }
  const T& value() const { return std::get<0>(v); }
  const std::string& error() const { return std::get<1>(v); }
};

Parsed<SimTime> parse_duration(std::string_view text);
// An instant: "[<n>d] [HH:MM[:SS]]" or any duration (counted from the scenario start).
Parsed<SimTime> parse_time_point(std::string_view text);
// A time of day "HH:MM[:SS]" in [00:00, 24:00).
Parsed<SimTime> parse_clock(std::string_view text);
// Events per second.
Parsed<double> parse_rate_per_s(std::string_view text);
// In [0, 1]; "38%" or "0.38".
Parsed<double> parse_probability(std::string_view text);
Parsed<double> parse_number(std::string_view text);
Parsed<long long> parse_integer(std::string_view text);
Parsed<bool> parse_boolean(std::string_view text);

}  // namespace faultline
