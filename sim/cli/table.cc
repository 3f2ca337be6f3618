#include "sim/cli/table.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/metrics/metrics.h"

namespace faultline::cli {

namespace {

std::string cell(const Estimate& e, bool percent, bool signed_value = false) {
  char buf[64];
  const double scale = percent ? 100.0 : 1.0;
  const char* unit = percent ? "%" : "";
  const char* fmt = signed_value ? (percent ? "%+.2f" : "%+.0f") : (percent ? "%.2f" : "%.0f");
  std::string out;
  std::snprintf(buf, sizeof buf, fmt, e.mean * scale);
  out = std::string(buf) + unit;
  if (std::isfinite(e.half_width)) {
    std::snprintf(buf, sizeof buf, percent ? " ± %.2f" : " ± %.0f", e.half_width * scale);
    out += std::string(buf) + unit;
  }
  return out;
}

std::string pad(std::string s, std::size_t width) {
  // The ± sign is two bytes but one column.
  std::size_t cols = 0;
  for (const unsigned char c : s) cols += (c & 0xC0) != 0x80;
  if (cols < width) s.append(width - cols, ' ');
  return s;
}

}  // namespace

std::string summary_table(const Scenario& s, const Summary& summary) {
  struct Column {
    Metric metric;
    bool percent;
  };
  // Rates as percentages, counts as they are.
  std::vector<Column> columns;
  for (const Metric m : headline_metrics(summary))
    columns.push_back({m, kMetrics[static_cast<std::size_t>(m)].unit == "ratio"});
  const auto& reference = summary.points.front().strategies;
  std::size_t name_width = 10;
  for (const auto& st : reference) name_width = std::max(name_width, st.name.size() + 2);
  if (reference.size() > 1)
    name_width = std::max(name_width, reference[0].name.size() + 9);  // "  Δ vs NAME "

  char head[256];
  std::snprintf(head, sizeof head, "%s: %d replication%s, seed %llu, %.0f%% confidence intervals\n",
                s.name.c_str(), summary.replications, summary.replications == 1 ? "" : "s",
                static_cast<unsigned long long>(s.seed), summary.confidence * 100);
  std::string out = head;
  for (const PointSummary& point : summary.points) {
    // A sweep prints one block per point, headed by its parameters.
    if (!point.parameters.empty()) {
      out += "point " + std::to_string(point.index) + ":";
      for (const auto& [path, value] : point.parameters) out += " " + path + " = " + value;
      out += "\n";
    }
    out += pad("strategy", name_width);
    for (const Column& c : columns)
      out += pad(std::string(kMetrics[static_cast<std::size_t>(c.metric)].name), 26);
    out += "\n";
    for (std::size_t i = 0; i < point.strategies.size(); ++i) {
      const StrategySummary& st = point.strategies[i];
      out += pad(st.name, name_width);
      for (const Column& c : columns)
        out += pad(cell(st.metrics[static_cast<std::size_t>(c.metric)], c.percent), 26);
      out += "\n";
      if (i == 0) continue;
      out += pad("  Δ vs " + point.strategies[0].name, name_width);
      for (const Column& c : columns) {
        std::string d =
            cell(st.difference_to_reference[static_cast<std::size_t>(c.metric)], c.percent, true);
        for (auto at = d.find('%'); at != std::string::npos; at = d.find('%'))
          d.replace(at, 1, " pp");
        out += pad(d, 26);
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace faultline::cli
