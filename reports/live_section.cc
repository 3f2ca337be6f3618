// The "Live vs simulated" section: present only in the results.json that `faultline
// compare` writes (its "live_comparison" block, adapters/vendor/compare.h). A table of
// what the SMS-vendor emulator saw live beside the simulator's prediction, server-side
// HTML, so it reads the same with JavaScript blocked.
#include <cmath>
#include <cstdio>

#include "reports/html.h"
#include "reports/sections.h"

namespace faultline::report {

namespace {

std::string value_text(const Json& v, const std::string& unit) {
  if (!v.is_number()) return "n/a";
  const double x = v.get<double>();
  char buf[64];
  if (unit == "share")
    std::snprintf(buf, sizeof buf, "%.2f%%", 100 * x);
  else if (unit == "s" && x >= 7200)
    std::snprintf(buf, sizeof buf, "%.3g h", x / 3600);
  else if (unit == "s" && x >= 120)
    std::snprintf(buf, sizeof buf, "%.3g min", x / 60);
  else
    std::snprintf(buf, sizeof buf, "%.3g %s", x, unit.c_str());
  return buf;
}

std::string row_html(const Json& r, const std::string& label) {
  const std::string unit = r.value("unit", "");
  const bool agrees = r.value("agrees", false);
  return "<tr><th scope=\"row\">" + escape_html(label) + "</th><td class=\"num\">" +
         value_text(r.at("live"), unit) + "</td><td class=\"num\">" +
         std::to_string(r.value("live_n", 0)) + "</td><td class=\"num\">" +
         value_text(r.at("mean"), unit) + "</td><td class=\"num\">[" +
         value_text(r.at("ci_low"), unit) + ", " + value_text(r.at("ci_high"), unit) +
         "]</td><td class=\"num\">[" + value_text(r.at("pi_low"), unit) + ", " +
         value_text(r.at("pi_high"), unit) + "]</td><td><span class=\"badge badge-" +
         (agrees ? "pass\">agrees" : "fail\">differs") + "</span></td></tr>\n";
}

}  // namespace

std::string live_section(const ReportContext& c) {
  if (!c.results.contains("live_comparison")) return "";
  const Json& l = c.results.at("live_comparison");
  const bool agrees = l.value("agrees", false);
  std::string out =
      "<section id=\"live\" class=\"card verdict verdict-" + std::string(agrees ? "pass" : "fail") +
      "\">\n<h2>Live vs simulated</h2>\n<p class=\"lead\">The SMS-vendor emulator's ledger <code>" +
      escape_html(l.value("ledger", "")) +
      "</code> beside the simulator's prediction (strategy <b>" +
      escape_html(l.value("strategy", "")) + "</b>, " + std::to_string(l.value("replications", 0)) +
      " replications): " +
      (agrees ? "every observation lies in its prediction interval."
              : "some observations lie outside their prediction interval.") +
      "</p>\n<table class=\"data\"><thead><tr><th>metric</th><th class=\"num\">live</th><th "
      "class=\"num\">n</th><th class=\"num\">simulated</th><th class=\"num\">CI of the "
      "mean</th><th class=\"num\">prediction interval (one run)</th><th></th></tr></thead>"
      "<tbody>\n";
  for (const Json& r : l.at("rows")) out += row_html(r, r.value("metric", ""));
  for (const Json& w : l.at("windows")) {
    if (w.value("accepted", 0) + w.value("rejected", 0) == 0) continue;
    const std::string label = "loss in " + w.value("type", "") + " " + w.value("target", "") +
                              " (" + format_instant(w.value("start_s", 0.0)) + " – " +
                              format_instant(w.value("end_s", 0.0)) + ")";
    out += row_html(w.at("loss"), label);
  }
  out +=
      "</tbody></table>\n<p class=\"note\">Delivered share and latency (acceptance to handset) "
      "are predicted by the simulator's runs of the scenario; the loss in each fault window by "
      "a replay of the live traffic through the same vendor and carrier model with the "
      "simulator's other seeds. One live run should fall in the prediction interval; the "
      "confidence interval is that of the simulated mean.</p>\n";
  for (const Json& n : l.value("notes", Json::array()))
    out += "<p class=\"note\">" + escape_html(n.get<std::string>()) + "</p>\n";
  return out + "</section>\n";
}

}  // namespace faultline::report
