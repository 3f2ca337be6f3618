#include "sim/scenario/units.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace faultline {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads a non-negative decimal number (digits, optional fraction) from the front of s.
bool take_number(std::string_view& s, double& out) {
  std::size_t n = 0;
  while (n < s.size() && (std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '.')) ++n;
  if (n == 0) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + n, out);
  if (ec != std::errc() || ptr != s.data() + n) return false;
  s.remove_prefix(n);
  return true;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

constexpr const char* kDurationHelp =
    "expected a duration such as 500ms, 90s, 15m, 48h, 3d or 1d 6h";

}  // namespace

Parsed<SimTime> parse_duration(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return {std::string("empty value: ") + kDurationHelp};
  if (s == "0") return {SimTime{0}};
  double total_us = 0;
  while (!s.empty()) {
    double n = 0;
    if (!take_number(s, n)) return {quoted(text) + " is not a duration: " + kDurationHelp};
    s = trim(s);  // "3 d" reads like "3d"
    std::size_t u = 0;
    while (u < s.size() && std::isalpha(static_cast<unsigned char>(s[u]))) ++u;
    const std::string_view unit = s.substr(0, u);
    s = trim(s.substr(u));
    double scale = 0;
    if (unit == "us")
      scale = kMicrosecond;
    else if (unit == "ms")
      scale = kMillisecond;
    else if (unit == "s")
      scale = kSecond;
    else if (unit == "m" || unit == "min")
      scale = kMinute;
    else if (unit == "h")
      scale = kHour;
    else if (unit == "d")
      scale = kDay;
    else if (unit.empty())
      return {quoted(text) + " has no unit: " + kDurationHelp};
    else
      return {quoted(text) + " has unknown unit '" + std::string(unit) +
              "': use us, ms, s, m, h or d"};
    total_us += n * scale;
  }
  if (total_us > 1e17) return {quoted(text) + " is too long (over 3,000 years)"};
  return {static_cast<SimTime>(std::llround(total_us))};
}

Parsed<SimTime> parse_clock(std::string_view text) {
  const std::string_view s = trim(text);
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t i = 0;
  while (count < 3) {
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 2) break;
    std::from_chars(s.data() + i, s.data() + j, parts[count++]);
    i = j;
    if (i < s.size() && s[i] == ':')
      ++i;
    else
      break;
  }
  if (count < 2 || i != s.size())
    return {quoted(text) + " is not a time of day: expected HH:MM or HH:MM:SS, e.g. 09:00"};
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 59)
    return {quoted(text) + " is out of range: hours 00-23, minutes and seconds 00-59"};
  return {parts[0] * kHour + parts[1] * kMinute + parts[2] * kSecond};
}

Parsed<SimTime> parse_time_point(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.find(':') == std::string_view::npos) {
    auto d = parse_duration(s);
    if (!d.ok())
      return {quoted(text) +
              " is not an instant: expected '12d 22:00', '09:00' or a duration from the start such "
              "as 36h"};
    return d;
  }
  SimTime day = 0;
  std::string_view clock = s;
  if (const auto space = s.find(' '); space != std::string_view::npos) {
    auto d = parse_duration(s.substr(0, space));
    if (!d.ok() || d.value() % kDay != 0)
      return {quoted(text) + " is not an instant: expected '<days>d HH:MM', e.g. 12d 22:00"};
    day = d.value();
    clock = s.substr(space + 1);
  }
  auto c = parse_clock(clock);
  if (!c.ok()) return {c.error()};
  return {day + c.value()};
}

Parsed<double> parse_rate_per_s(std::string_view text) {
  const std::string_view s = trim(text);
  const auto slash = s.find('/');
  const char* help = "expected a rate such as 500/s, 20/min, 100/h or 1000/d";
  if (slash == std::string_view::npos) return {quoted(text) + " has no unit: " + help};
  std::string_view num = trim(s.substr(0, slash));
  double n = 0;
  if (!take_number(num, n) || !num.empty()) return {quoted(text) + " is not a rate: " + help};
  const std::string_view unit = trim(s.substr(slash + 1));
  double per = 0;
  if (unit == "s")
    per = 1;
  else if (unit == "min" || unit == "m")
    per = 60;
  else if (unit == "h")
    per = 3600;
  else if (unit == "d")
    per = 86400;
  else
    return {quoted(text) + " has unknown unit '/" + std::string(unit) + "': " + help};
  return {n / per};
}

Parsed<double> parse_number(std::string_view text) {
  const std::string_view s = trim(text);
  double v = 0;
  const char* begin = s.data();
  if (!s.empty() && s.front() == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
    return {quoted(text) + " is not a number"};
  return {v};
}

Parsed<long long> parse_integer(std::string_view text) {
  std::string cleaned;
  for (const char c : trim(text))
    if (c != '_') cleaned += c;  // 1_000_000 reads better in a scenario
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), v);
  if (cleaned.empty() || ec != std::errc() || ptr != cleaned.data() + cleaned.size())
    return {quoted(text) + " is not a whole number"};
  return {v};
}

Parsed<double> parse_probability(std::string_view text) {
  std::string_view s = trim(text);
  const bool percent = !s.empty() && s.back() == '%';
  if (percent) s = trim(s.substr(0, s.size() - 1));
  auto n = parse_number(s);
  if (!n.ok()) return {quoted(text) + " is not a probability: expected e.g. 2% or 0.02"};
  const double p = percent ? n.value() / 100.0 : n.value();
  if (p < 0 || p > 1)
    return {quoted(text) + " is out of range: a probability lies between 0 and 1 (0% to 100%)"};
  return {p};
}

Parsed<bool> parse_boolean(std::string_view text) {
  const std::string_view s = trim(text);
  if (s == "true" || s == "yes" || s == "on") return {true};
  if (s == "false" || s == "no" || s == "off") return {false};
  return {quoted(text) + " is not a boolean: expected true or false"};
}

}  // namespace faultline
