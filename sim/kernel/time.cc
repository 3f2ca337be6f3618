#include "sim/kernel/time.h"

#include <cstdio>

namespace faultline {

std::string format_time(SimTime t) {
  const char* sign = t < 0 ? "-" : "";
  if (t < 0) t = -t;
  const SimTime day = t / kDay;
  const SimTime rest = t % kDay;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld:%02lld", sign, static_cast<long long>(day),
                static_cast<long long>(rest / kHour),
                static_cast<long long>(rest % kHour / kMinute),
                static_cast<long long>(rest % kMinute / kSecond));
  std::string out = buf;
  if (const SimTime us = rest % kSecond; us != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  return out;
}

std::string format_duration(SimTime d) {
  if (d == 0) return "0s";
  std::string out = d < 0 ? "-" : "";
  if (d < 0) d = -d;
  struct Unit {
    SimTime size;
    const char* suffix;
  };
  static constexpr Unit kUnits[] = {{kDay, "d"},    {kHour, "h"},         {kMinute, "m"},
                                    {kSecond, "s"}, {kMillisecond, "ms"}, {kMicrosecond, "us"}};
  bool first = true;
  for (const Unit& u : kUnits) {
    if (d >= u.size) {
      if (!first) out += ' ';
      out += std::to_string(d / u.size) + u.suffix;
      d %= u.size;
      first = false;
    }
  }
  return out;
}

}  // namespace faultline
