// Simulated time. One unit is one microsecond, stored in a signed 64-bit integer: fine
// enough for 1,000,000 messages/s rates and good for ±292,000 years, so horizons never
// overflow. Integer time keeps event order exact and identical on every platform.
#pragma once

#include <cstdint>
#include <string>

namespace faultline {

using SimTime = std::int64_t;  // microseconds since the start of the scenario

inline constexpr SimTime kMicrosecond = 1;
inline constexpr SimTime kMillisecond = 1'000;
inline constexpr SimTime kSecond = 1'000'000;
inline constexpr SimTime kMinute = 60 * kSecond;
inline constexpr SimTime kHour = 60 * kMinute;
inline constexpr SimTime kDay = 24 * kHour;
inline constexpr SimTime kTimeNever = INT64_MAX;

inline constexpr double to_seconds(SimTime t) {
  return static_cast<double>(t) / kSecond;
}
inline constexpr double to_hours(SimTime t) {
  return static_cast<double>(t) / kHour;
}

// std::llround for |x| < 2^63, inline: round half away from zero. The model turns every
// drawn delay into microseconds with it, several times per message, and llround is a
// libm call (issue 21). Exact: the truncation t and x - t are exact for every double of
// that range (x is an integer from 2^52 up), so the comparison with 0.5 decides alone.
inline constexpr SimTime round_to_time(double x) {
  SimTime t = static_cast<SimTime>(x);
  const double rest = x - static_cast<double>(t);
  if (rest >= 0.5) ++t;
  if (rest <= -0.5) --t;
  return t;
}

// "12d 22:00:00" style, for messages and reports.
std::string format_time(SimTime t);
// "48h", "15m", "1d 6h", "500ms": the shortest exact form, as a scenario would write it.
std::string format_duration(SimTime d);

}  // namespace faultline
