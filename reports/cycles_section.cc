// The "Days past due over cycles" section: present when the run followed borrowers over
// several cycles (population.cycles > 1, docs/model.md "Cycles"). Per point and
// strategy, one row per cycle from the run's per-cycle metrics (results.json `cycles`):
// the delinquency buckets at the end of that cycle with their confidence intervals, and
// the paired difference in 30+ days past due from the reference strategy. Results
// without per-cycle metrics get one row per point (the end of the last cycle). Server-side HTML, so
// it reads the same with JavaScript blocked.
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

// The metric's paired difference to the reference strategy, or null.
Json difference(const Json& entry, const char* metric) {
  const auto d = entry.find("difference_to_reference");
  if (d == entry.end() || !d->is_object()) return Json();
  const auto it = d->find(metric);
  return it != d->end() && it->is_object() ? *it : Json();
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
  // One row per cycle from the per-cycle metrics of one run (results.json `cycles`);
  // results written before them have a row per point (a sweep of population.cycles).
  bool any = false, per_cycle = false;
  for (const Json& p : points)
    for (const Json& s : p.at("strategies")) {
      const Json m = summary(s, "dpd_1_29_rate");
      any = any || (m.is_object() && m.value("mean", Json()).is_number());
      per_cycle = per_cycle || (s.contains("cycles") && s.at("cycles").is_array());
    }
  if (!any) return "";
  const std::string level = std::to_string(static_cast<int>(c.confidence * 100 + 0.5));
  std::string out =
      "<section id=\"cycles\">\n<h2>Days past due over cycles</h2>\n<p class=\"note\">Share of "
      "borrowers in each delinquency bucket at the end of " +
      std::string(per_cycle ? "each cycle" : "the last cycle of each point") + ", mean and " +
      level + " % confidence interval over replications" +
      (per_cycle ? "; <em>30+ vs reference</em> is the paired difference in 30+ days past due "
                   "from the first strategy"
                 : "; a sweep of <code>population.cycles</code> follows the same borrowers "
                   "cycle by cycle. A point with one cycle has no buckets (—)") +
      ".</p>\n<table>\n<thead><tr><th>point</th><th>strategy</th>";
  if (per_cycle) out += "<th>cycle</th>";
  for (const auto& b : kBuckets) out += "<th>" + std::string(b[1]) + "</th>";
  if (per_cycle) out += "<th>30+</th><th>30+ vs reference</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const Json& p : points)
    for (const Json& s : p.at("strategies")) {
      const std::string head = "<tr><td>" + escape_html(c.point_label(p)) + "</td><td>" +
                               escape_html(s.at("name").get<std::string>()) + "</td>";
      if (!per_cycle) {
        out += head;
        for (const auto& b : kBuckets) out += "<td>" + share_text(summary(s, b[0])) + "</td>";
        out += "</tr>\n";
        continue;
      }
      const Json none = Json::array();
      const auto it = s.find("cycles");
      for (const Json& cycle : it != s.end() && it->is_array() ? *it : none) {
        // A hand-edited results.json: an entry without metrics is left out, not fatal.
        const auto metrics = cycle.is_object() ? cycle.find("metrics") : cycle.end();
        if (!cycle.is_object() || metrics == cycle.end() || !metrics->is_object()) continue;
        const auto k = cycle.find("cycle");
        out += head + "<td>" +
               (k != cycle.end() && k->is_number_integer() ? std::to_string(k->get<int>()) : "?") +
               "</td>";
        for (const auto& b : kBuckets) out += "<td>" + share_text(summary(cycle, b[0])) + "</td>";
        out += "<td>" + share_text(summary(cycle, "dpd_30_plus_rate")) + "</td><td>" +
               share_text(difference(cycle, "dpd_30_plus_rate")) + "</td></tr>\n";
      }
    }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

}  // namespace faultline::report
