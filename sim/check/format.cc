#include "sim/check/format.h"

#include <cmath>
#include <cstdio>

namespace faultline {

namespace {

std::string printf_string(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Digits after the point for a magnitude: enough to tell close strategies apart.
const char* fixed_format(double magnitude) {
  if (magnitude >= 100) return "%.1f";
  if (magnitude >= 10) return "%.1f";
  if (magnitude >= 1) return "%.2f";
  if (magnitude >= 0.01 || magnitude == 0) return "%.3f";
  return "%.2g";
}

std::string with_separators(double v) {
  const std::string digits = printf_string("%.0f", std::abs(v));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 && digits != "0" ? "-" : "") + out;
}

std::string duration(double s) {
  const double a = std::abs(s);
  if (a < 120) return printf_string(fixed_format(a), s) + " s";
  if (a < 2 * 3600) return printf_string(fixed_format(a / 60), s / 60) + " min";
  if (a < 2 * 86400) return printf_string(fixed_format(a / 3600), s / 3600) + " h";
  return printf_string(fixed_format(a / 86400), s / 86400) + " d";
}

std::string body(double v, std::string_view unit, bool difference) {
  if (unit == "ratio") {
    const double pct = v * 100;
    const std::string num = printf_string(fixed_format(std::abs(pct)), pct);
    return difference ? num + " pp" : num + "%";
  }
  if (unit == "relative") return printf_string(fixed_format(std::abs(v * 100)), v * 100) + "%";
  if (unit == "seconds") return duration(v);
  if (std::abs(v) >= 1000) return with_separators(v);
  return printf_string(fixed_format(std::abs(v)), v);
}

}  // namespace

std::string format_value(double v, std::string_view unit) {
  if (!std::isfinite(v)) return "n/a";
  return body(v, unit, false);
}

std::string format_difference(double v, std::string_view unit) {
  if (!std::isfinite(v)) return "n/a";
  const std::string b = body(v, unit, true);
  return (b.front() == '-' ? "" : "+") + b;
}

std::string format_interval(double low, double high, std::string_view unit, bool difference) {
  if (!std::isfinite(low) || !std::isfinite(high)) return "n/a";
  if (difference)
    return "[" + format_difference(low, unit) + ", " + format_difference(high, unit) + "]";
  return "[" + format_value(low, unit) + ", " + format_value(high, unit) + "]";
}

std::string format_confidence(double confidence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", confidence * 100);
  return buf;
}

std::string describe_outcome(const Outcome& o, double confidence) {
  if (o.kind == Outcome::Kind::kPrecision) {
    std::string m = std::string(to_string(o.verdict)) + ": " + o.expectation.metric +
                    " confidence-interval half-width = " + format_value(o.estimate, o.unit) +
                    " (the widest over strategies and points, " + std::to_string(o.n) +
                    " replications); expected " + o.expectation.assertion;
    if (!o.note.empty()) m += " (" + o.note + ")";
    return m;
  }
  const bool diff = o.expectation.against != Against::kValue;
  std::string m = std::string(to_string(o.verdict)) + ": " + o.expectation.metric;
  if (diff)
    m += std::string(" change from baseline") + (o.pairing == Pairing::kPaired     ? " (paired)"
                                                 : o.pairing == Pairing::kUnpaired ? " (unpaired)"
                                                                                   : "");
  if (std::isfinite(o.estimate))
    m += " = " + (diff ? format_difference(o.estimate, o.unit) : format_value(o.estimate, o.unit)) +
         ", " + format_confidence(confidence) + " CI " +
         format_interval(o.ci_low, o.ci_high, o.unit, diff);
  m += "; expected " + o.expectation.assertion;
  if (!o.note.empty()) m += " (" + o.note + ")";
  return m;
}

}  // namespace faultline
