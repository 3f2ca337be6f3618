// The strategy comparison, drawn on the server as HTML tables with inline SVG so it reads
// without JavaScript: per key metric, one row per strategy with the estimate and its
// confidence whisker on a shared axis, and the paired difference to the reference with
// its own whisker against a dashed zero line. Numbers are printed beside every mark.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "reports/html.h"
#include "reports/sections.h"
#include "sim/check/format.h"

namespace faultline::report {

namespace {

constexpr double kWidth = 220, kRowHeight = 26, kAxisHeight = 24, kPad = 12;

struct Interval {
  double mean = NAN, ci_low = NAN, ci_high = NAN;
};

Interval read(const Json& strategy, const char* key, const std::string& metric) {
  Interval v;
  const Json& block = strategy.value(key, Json::object());
  if (!block.contains(metric)) return v;
  const Json& e = block.at(metric);
  auto get = [&](const char* f) {
    return e.contains(f) && e[f].is_number() ? e[f].get<double>() : NAN;
  };
  v.mean = get("mean"), v.ci_low = get("ci_low"), v.ci_high = get("ci_high");
  if (!std::isfinite(v.ci_low) || !std::isfinite(v.ci_high))
    v.ci_low = v.ci_high = v.mean;  // one replication: a dot
  return v;
}

struct Scale {
  double lo = 0, hi = 1;
  double x(double v) const { return kPad + (v - lo) / (hi - lo) * (kWidth - 2 * kPad); }
};

Scale make_scale(const std::vector<Interval>& values, bool include_zero) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Interval& v : values) {
    if (!std::isfinite(v.mean)) continue;
    lo = std::min({lo, v.ci_low, v.mean});
    hi = std::max({hi, v.ci_high, v.mean});
  }
  if (include_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo <= 0) {
    const double pad = std::abs(lo) > 0 ? std::abs(lo) * 0.05 : 1;
    lo -= pad, hi += pad;
  }
  const double pad = (hi - lo) * 0.08;
  return {lo - pad, hi + pad};
}

std::vector<double> ticks(const Scale& s, double& step) {
  const double raw = (s.hi - s.lo) / 4;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  step = mag;
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(s.lo / step) * step; t <= s.hi + step * 1e-9 && out.size() < 12;
       t += step)
    out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

// Tick labels need only as many digits as the step has.
std::string tick_label(double v, double step, const std::string& unit, bool difference) {
  double scale = unit == "ratio" ? 100 : 1;
  std::string suffix = unit == "ratio" ? (difference ? " pp" : "%") : "";
  if (unit == "seconds") {
    // One unit for the whole axis, chosen by the step: 30 s, 15 min, 2 h, 1 d.
    const auto [factor, name] = step >= 43200  ? std::pair{86400.0, " d"}
                                : step >= 1800 ? std::pair{3600.0, " h"}
                                : step >= 60   ? std::pair{60.0, " min"}
                                               : std::pair{1.0, " s"};
    scale = 1 / factor;
    suffix = name;
  }
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step * scale) + 1e-9)));
  char buf[64];
  std::snprintf(buf, sizeof buf, difference && v > 0 ? "%+.*f" : "%.*f", decimals, v * scale);
  return std::string(buf) + suffix;
}

std::string axis_svg(const Scale& s, const std::string& unit, bool difference) {
  double step = 1;
  std::string out = "<svg class=\"axis\" width=\"" + px(kWidth) + "\" height=\"" + px(kAxisHeight) +
                    "\" viewBox=\"0 0 " + px(kWidth) + " " + px(kAxisHeight) +
                    "\" aria-hidden=\"true\">";
  out += "<line x1=\"" + px(kPad) + "\" x2=\"" + px(kWidth - kPad) +
         "\" y1=\"0.5\" y2=\"0.5\" class=\"axis-line\"/>";
  for (const double t : ticks(s, step)) {
    const std::string x = px(s.x(t));
    out += "<line x1=\"" + x + "\" x2=\"" + x +
           "\" y1=\"0\" y2=\"5\" class=\"axis-line\"/><text x=\"" + x +
           "\" y=\"17\" text-anchor=\"middle\">" +
           escape_html(tick_label(t, step, unit, difference)) + "</text>";
  }
  return out + "</svg>";
}

std::string row_svg(const Scale& s, const Interval& v, const std::string& colour, bool zero_line,
                    const std::string& label) {
  double step = 1;
  std::string out = "<svg class=\"whisker\" width=\"" + px(kWidth) + "\" height=\"" +
                    px(kRowHeight) + "\" viewBox=\"0 0 " + px(kWidth) + " " + px(kRowHeight) +
                    "\" role=\"img\" aria-label=\"" + escape_html(label) + "\"><title>" +
                    escape_html(label) + "</title>";
  for (const double t : ticks(s, step)) {
    const std::string x = px(s.x(t));
    out += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"0\" y2=\"" + px(kRowHeight) +
           "\" class=\"grid\"/>";
  }
  if (zero_line) {
    const std::string x = px(s.x(0));
    out += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"0\" y2=\"" + px(kRowHeight) +
           "\" class=\"zero\"/>";
  }
  if (std::isfinite(v.mean)) {
    const std::string y = px(kRowHeight / 2), lo = px(s.x(v.ci_low)), hi = px(s.x(v.ci_high));
    out += "<line x1=\"" + lo + "\" x2=\"" + hi + "\" y1=\"" + y + "\" y2=\"" + y + "\" stroke=\"" +
           colour + "\" stroke-width=\"2\"/>";
    for (const std::string& x : {lo, hi})
      out += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + px(kRowHeight / 2 - 5) + "\" y2=\"" +
             px(kRowHeight / 2 + 5) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
    out += "<circle cx=\"" + px(s.x(v.mean)) + "\" cy=\"" + y + "\" r=\"5\" fill=\"" + colour +
           "\" stroke=\"#fff\" stroke-width=\"1.5\"/>";
  }
  return out + "</svg>";
}

std::string metric_figure(const ReportContext& c, const std::string& metric) {
  const std::string unit = c.unit(metric);
  std::vector<Interval> values, diffs;
  for (const std::string& name : c.strategies) {
    values.push_back(read(c.strategy(name), "metrics", metric));
    diffs.push_back(read(c.strategy(name), "difference_to_reference", metric));
  }
  const Scale vs = make_scale(values, false);
  const Scale ds = make_scale({diffs.begin() + 1, diffs.end()}, true);
  const std::string ci = format_confidence(c.confidence) + " CI";
  std::string out = "<figure class=\"cmp\" data-metric=\"" + escape_html(metric) +
                    "\">\n<figcaption><code>" + escape_html(metric) +
                    "</code> <span class=\"def\">" + escape_html(c.definition(metric)) +
                    (unit.empty() ? "" : " (" + escape_html(unit) + ")") + "</span></figcaption>\n";
  out +=
      "<table class=\"data cmp-table\">\n<thead><tr><th>Strategy</th><th "
      "class=\"plot\">estimate, " +
      ci + "</th><th class=\"num\">estimate [" + ci + "]</th><th class=\"plot\">difference to " +
      escape_html(c.strategies[0]) + "</th><th class=\"num\">Δ [" + ci +
      "]</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    const std::string& name = c.strategies[i];
    const Interval& v = values[i];
    const std::string estimate =
        format_value(v.mean, unit) + " " + format_interval(v.ci_low, v.ci_high, unit);
    out += "<tr><th scope=\"row\"><span class=\"chip\" style=\"background:" + c.colours[i] +
           "\"></span>" + escape_html(name) + "</th><td class=\"plot\">" +
           row_svg(vs, v, c.colours[i], false, name + ": " + estimate) + "</td><td class=\"num\">" +
           escape_html(estimate) + "</td>";
    if (i == 0) {
      out += "<td class=\"plot ref\">reference</td><td class=\"num\">—</td></tr>\n";
      continue;
    }
    const Interval& d = diffs[i];
    const std::string diff =
        format_difference(d.mean, unit) + " " + format_interval(d.ci_low, d.ci_high, unit, true);
    out += "<td class=\"plot\">" +
           row_svg(ds, d, c.colours[i], true, name + " − " + c.strategies[0] + ": " + diff) +
           "</td><td class=\"num\">" + escape_html(diff) + "</td></tr>\n";
  }
  out += "</tbody>\n<tfoot><tr><td></td><td class=\"plot\">" + axis_svg(vs, unit, false) +
         "</td><td></td><td class=\"plot\">" +
         (c.strategies.size() > 1 ? axis_svg(ds, unit, true) : "") +
         "</td><td></td></tr></tfoot>\n</table>\n</figure>\n";
  return out;
}

}  // namespace

std::string comparison_section(const ReportContext& c) {
  std::string out =
      "<section id=\"comparison\" class=\"card\">\n<h2>Strategy comparison</h2>\n<p "
      "class=\"note\">Dot: mean over " +
      std::to_string(c.results.value("replications", 0)) + " replications; whisker: its " +
      format_confidence(c.confidence) + " confidence interval. The difference to " +
      escape_html(c.strategies[0]) +
      " — the reference strategy, listed first in the scenario — is paired over the same "
      "replications (common random numbers), so it is often much tighter than the two "
      "intervals suggest.";
  if (c.swept)
    out += " Shown for point " + std::to_string(c.point_index) + " (" +
           escape_html(c.point_label(*c.point)) + ").";
  out += "</p>\n";
  for (const std::string& metric : c.key_metrics()) {
    // A cost of zero everywhere (no cost_per_message in the scenario) says nothing.
    bool all_zero = metric == "sms_cost";
    for (const std::string& name : c.strategies)
      all_zero = all_zero && read(c.strategy(name), "metrics", metric).ci_high == 0;
    if (!all_zero) out += metric_figure(c, metric);
  }
  return out + "</section>\n";
}

}  // namespace faultline::report
