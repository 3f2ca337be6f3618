// The "Days past due over cycles" section: present when the run followed borrowers over
// several cycles (population.cycles > 1, docs/model.md "Cycles"). One row per point —
// a sweep of population.cycles makes the rows the cycles, the same borrowers followed
// for 1, 2, … cycles — and per strategy the delinquency buckets at the end of that
// cycle with their confidence intervals. Server-side HTML, so it reads the same with
// JavaScript blocked.
#include <cstdio>

#include "reports/html.h"
#include "reports/sections.h"

namespace faultline::report {

namespace {

constexpr const char* kBuckets[][2] = {{"dpd_1_29_rate", "1–29"},
                                       {"dpd_30_59_rate", "30–59"},
                                       {"dpd_60_plus_rate", "60+"},
                                       {"ever_30dpd_rate", "ever 30+"}};

// The metric's summary, or null when the results have none (older results, one cycle).
Json summary(const Json& strategy, const char* metric) {
  const Json& metrics = strategy.at("metrics");
  const auto it = metrics.find(metric);
  return it != metrics.end() && it->is_object() ? *it : Json();
}

std::string share_text(const Json& m) {
  if (!m.is_object()) return "—";
  const Json& mean = m.value("mean", Json());
  if (!mean.is_number()) return "—";
  char buf[96];
  const Json& lo = m.value("ci_low", Json());
  const Json& hi = m.value("ci_high", Json());
  if (lo.is_number() && hi.is_number())
    std::snprintf(buf, sizeof buf, "%.2f%% <small>(%.2f–%.2f)</small>", 100 * mean.get<double>(),
                  100 * lo.get<double>(), 100 * hi.get<double>());
  else
    std::snprintf(buf, sizeof buf, "%.2f%%", 100 * mean.get<double>());
  return buf;
}

}  // namespace

std::string cycles_section(const ReportContext& c) {
  const Json& points = c.results.at("points");
  bool any = false;
  for (const Json& p : points)
    for (const Json& s : p.at("strategies")) {
      const Json m = summary(s, "dpd_1_29_rate");
      any = any || (m.is_object() && m.value("mean", Json()).is_number());
    }
  if (!any) return "";
  std::string out =
      "<section id=\"cycles\">\n<h2>Days past due over cycles</h2>\n"
      "<p class=\"note\">Share of borrowers in each delinquency bucket at the end of the last "
      "cycle of each point, mean and " +
      std::to_string(static_cast<int>(c.confidence * 100 + 0.5)) +
      " % confidence interval; a sweep of <code>population.cycles</code> follows the same "
      "borrowers cycle by cycle. A point with one cycle has no buckets (—).</p>\n"
      "<table>\n<thead><tr><th>point</th><th>strategy</th>";
  for (const auto& b : kBuckets) out += "<th>" + std::string(b[1]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const Json& p : points)
    for (const Json& s : p.at("strategies")) {
      out += "<tr><td>" + escape_html(c.point_label(p)) + "</td><td>" +
             escape_html(s.at("name").get<std::string>()) + "</td>";
      for (const auto& b : kBuckets) out += "<td>" + share_text(summary(s, b[0])) + "</td>";
      out += "</tr>\n";
    }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

}  // namespace faultline::report
