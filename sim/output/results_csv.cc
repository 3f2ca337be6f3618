#include "sim/output/results_csv.h"

#include <charconv>
#include <cmath>

namespace faultline {

namespace {

// RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Shortest text that reads back to the same double, locale-free; empty for no value
// (an interval from one replication), never a misleading zero.
std::string number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ptr);
}

}  // namespace

std::string results_csv(const Scenario& s, const Summary& summary) {
  std::string out = "point";
  for (const SweepAxis& a : s.sweep.axes) out += "," + field(a.path);
  out +=
      ",strategy,metric,unit,mean,sd,ci_low,ci_high,half_width,n,"
      "difference_mean,difference_ci_low,difference_ci_high,difference_half_width\n";
  for (const PointSummary& point : summary.points) {
    std::string prefix = std::to_string(point.index);
    for (const auto& [path, value] : point.parameters) prefix += "," + field(value);
    for (const StrategySummary& st : point.strategies) {
      for (const auto& m : kMetrics) {
        const auto i = static_cast<std::size_t>(m.id);
        const Estimate& e = st.metrics[i];
        const Estimate& d = st.difference_to_reference[i];
        out += prefix + "," + field(st.name) + "," + std::string(m.name) + "," +
               std::string(m.unit) + "," + number(e.mean) + "," + number(e.sd) + "," +
               number(e.ci_low) + "," + number(e.ci_high) + "," + number(e.half_width) + "," +
               std::to_string(e.n) + "," + number(d.mean) + "," + number(d.ci_low) + "," +
               number(d.ci_high) + "," + number(d.half_width) + "\n";
      }
    }
  }
  return out;
}

}  // namespace faultline
