// The text sections of the report: header, headline verdict, expectations table,
// reproducibility block, the scenario file and the licences. All server-side HTML.
#include "reports/sections.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "faultline/assets.h"
#include "reports/html.h"
#include "sim/check/format.h"

namespace faultline::report {

namespace {

std::string h(std::string_view s) {
  return escape_html(s);
}

std::string number_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return format_value(v.get<double>(), "");
  return v.dump();
}

const char* verdict_class(const Outcome& o) {
  if (o.fails) return "fail";
  switch (o.verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kInconclusive:
      return "inconclusive";
    default:
      return "skipped";
  }
}

std::string strategy_chip(const ReportContext& c, const std::string& name) {
  std::string colour = "#999";
  for (std::size_t i = 0; i < c.strategies.size(); ++i)
    if (c.strategies[i] == name) colour = c.colours[i];
  return "<span class=\"nowrap\"><span class=\"chip\" style=\"background:" + colour + "\"></span>" +
         h(name) + "</span>";
}

double mean(const Json& strategy, const std::string& key, const std::string& metric,
            const char* field = "mean") {
  const Json& m = strategy.at(key);
  if (!m.contains(metric)) return NAN;
  const Json& v = m.at(metric).at(field);
  return v.is_number() ? v.get<double>() : NAN;
}

}  // namespace

std::string format_instant(double seconds) {
  const long long total = std::llround(seconds);
  const long long day = total / 86400, rest = total % 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "day %lld %02lld:%02lld", day, rest / 3600, (rest % 3600) / 60);
  return buf;
}

std::vector<FunnelStage> funnel_stages(const ReportContext& c) {
  // Borrowers at every row (one instalment each), so each row reads as a share of "due".
  const std::vector<FunnelStage> all = {
      {"due", "payments_due", "instalments falling due in the run, one per borrower"},
      {"reminded", "borrowers_reminded",
       "borrowers with at least one reminder delivered, on any channel"},
      {"seen", "borrowers_saw_reminder",
       "borrowers who looked at at least one delivered reminder (an SMS read, a push or an "
       "in-app message seen, an e-mail opened); a delivered message need not be seen"},
      {"attempted", "borrowers_attempted",
       "borrowers who tried to pay at least once, prompted by a reminder or not — so this row "
       "can exceed the one above"},
      {"paid on time", "paid_on_time", "instalments paid by the end of the due day"}};
  std::vector<FunnelStage> out;
  for (const FunnelStage& stage : all)
    if (c.has_metric(stage.metric)) out.push_back(stage);  // results from an older faultline
  return out;
}

std::string header_section(const ReportContext& c) {
  const Json& s = c.results.at("scenario");
  const std::string name = s.value("name", "");
  std::string out = "<header class=\"top\">\n<p class=\"kicker\">faultline report</p>\n<h1>" +
                    h(name) + "</h1>\n";
  if (const std::string d = s.value("description", ""); !d.empty())
    out += "<p class=\"description\">" + h(d) + "</p>\n";
  out +=
      "<p class=\"meta\">" + number_text(c.results.value("replications", Json(0))) +
      " replications · seed " + number_text(c.results.value("seed", Json(0))) + " · " +
      format_confidence(c.confidence) + " confidence intervals · " +
      format_value(s.value("borrowers", 0.0), "borrowers") + " borrowers · horizon " +
      format_value(s.value("horizon_s", 0.0), "seconds") + " · " +
      h(c.strategies.size() == 1 ? "1 strategy"
                                 : std::to_string(c.strategies.size()) + " strategies") +
      "</p>\n<nav class=\"toc\" aria-label=\"Sections\">"
      "<a href=\"#verdict\">Verdict</a><a href=\"#expectations\">Expectations</a>"
      "<a href=\"#comparison\">Comparison</a>" +
      std::string(c.results.contains("live_comparison") ? "<a href=\"#live\">Live vs simulated</a>"
                                                        : "") +
      "<a href=\"#series\">Time series</a>"
      "<a href=\"#faults\">Faults</a><a href=\"#latency\">Latency</a><a "
      "href=\"#funnel\">Funnel</a>";
  if (!c.results.value("sweep", Json()).is_null()) out += "<a href=\"#sweep\">Sweep</a>";
  out +=
      "<a href=\"#reproduce\">Reproduce</a><a href=\"#scenario\">Scenario</a></nav>\n</header>\n";
  return out;
}

std::string verdict_section(const ReportContext& c) {
  const std::string overall = c.evaluation ? overall_verdict(*c.evaluation) : "NONE";
  std::string lower = overall;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string out = "<section id=\"verdict\" class=\"card verdict verdict-" + lower +
                    "\">\n<h2>Headline verdict</h2>\n";
  out += "<div class=\"verdict-row\"><div class=\"badge badge-" + lower + "\">" +
         (overall == "NONE" ? std::string("NO EXPECTATIONS") : overall) + "</div>\n<div>";
  if (!c.evaluation || c.evaluation->outcomes.empty()) {
    out +=
        "<p class=\"lead\">This scenario declares no expectations (<code>expect:</code>), so "
        "nothing passes or "
        "fails; the numbers below compare the strategies.</p>";
    if (!c.expectations_note.empty()) out += "<p class=\"note\">" + h(c.expectations_note) + "</p>";
  } else {
    const Evaluation& e = *c.evaluation;
    int failing = 0, open = 0;
    for (const Outcome& o : e.outcomes)
      failing += o.fails, open += !o.fails && o.verdict == Verdict::kInconclusive;
    out += "<p class=\"lead\">" + std::to_string(e.count(Verdict::kPass)) + " passed, " +
           std::to_string(failing) + " failed, " + std::to_string(open) + " inconclusive, " +
           std::to_string(e.count(Verdict::kSkipped)) + " skipped — of " +
           std::to_string(e.outcomes.size()) + " checks, judged on " +
           format_confidence(c.confidence) + " confidence intervals.</p>\n";
    std::string items;
    for (const Outcome& o : e.outcomes)
      if (o.fails || o.verdict == Verdict::kInconclusive)
        items += "<li class=\"" + std::string(verdict_class(o)) + "\">" + h(o.strategy) + ": " +
                 h(describe_outcome(o, c.confidence)) + "</li>\n";
    if (!items.empty()) out += "<ul class=\"issues\">\n" + items + "</ul>\n";
  }
  // The key finding: each strategy against the reference on missed payments.
  const std::string metric = c.has_metric("missed_payment_rate") ? "missed_payment_rate" : "";
  if (!metric.empty() && c.strategies.size() > 1) {
    const std::string unit = c.unit(metric);
    const Json& ref = c.strategy(c.strategies[0]);
    out += "<ul class=\"findings\">\n";
    for (std::size_t i = 1; i < c.strategies.size(); ++i) {
      const Json& st = c.strategy(c.strategies[i]);
      out += "<li>" + strategy_chip(c, c.strategies[i]) + ": " + metric + " " +
             format_value(mean(st, "metrics", metric), unit) + " vs " +
             format_value(mean(ref, "metrics", metric), unit) + " for " + h(c.strategies[0]) +
             " — <strong>" + format_difference(mean(st, "difference_to_reference", metric), unit) +
             "</strong> (" + format_confidence(c.confidence) + " CI " +
             format_interval(mean(st, "difference_to_reference", metric, "ci_low"),
                             mean(st, "difference_to_reference", metric, "ci_high"), unit, true) +
             ")</li>\n";
    }
    out += "</ul>\n";
  }
  if (c.swept)
    out +=
        "<p class=\"note\">This run sweeps " + std::to_string(c.results.at("points").size()) +
        " points. Verdicts cover every point; the comparison and the per-point charts show point " +
        std::to_string(c.point_index) + " (" + h(c.point_label(*c.point)) + "), where " +
        h(c.strategies[0]) + " misses the most payments. The sweep section shows all points.</p>\n";
  out += "</div></div>\n</section>\n";
  return out;
}

std::string expectations_section(const ReportContext& c) {
  std::string out = "<section id=\"expectations\" class=\"card\">\n<h2>Expectations</h2>\n";
  if (!c.evaluation || c.evaluation->outcomes.empty()) {
    out +=
        "<p>None declared. Add an <code>expect:</code> list to the scenario (docs/scenarios.md) to "
        "turn this "
        "report into a pass/fail check; <code>faultline check</code> runs them in CI.</p>\n";
    if (!c.expectations_note.empty())
      out += "<p class=\"note\">" + h(c.expectations_note) + "</p>\n";
    return out + "</section>\n";
  }
  const bool points = std::any_of(c.evaluation->outcomes.begin(), c.evaluation->outcomes.end(),
                                  [](const Outcome& o) { return o.show_point; });
  out += "<p class=\"note\">PASS: the whole " + format_confidence(c.confidence) +
         " confidence interval satisfies the assertion; FAIL: none of it does; INCONCLUSIVE: it "
         "straddles the "
         "threshold. <code>delta</code> compares with a baseline results.json: <em>paired</em> "
         "replication by replication when its runs.jsonl holds the same units (same run seeds), "
         "<em>unpaired</em> (this run's interval against the baseline's mean) otherwise. A "
         "precision target is met (PASS) or still too wide after the most replications allowed "
         "(INCONCLUSIVE).</p>\n";
  out += "<table class=\"data expectations\">\n<thead><tr><th>Metric</th><th>Strategy</th>";
  if (points) out += "<th>Point</th>";
  out += "<th>Threshold</th><th class=\"num\">Estimate</th><th class=\"num\">" +
         format_confidence(c.confidence) +
         " CI</th><th>Verdict</th><th>Line</th></tr></thead>\n<tbody>\n";
  const std::string file = c.results.at("scenario").value("file", "");
  for (const Outcome& o : c.evaluation->outcomes) {
    const bool diff = o.expectation.against != Against::kValue;
    const std::string line = std::to_string(o.expectation.loc.line);
    out += "<tr class=\"v-" + std::string(verdict_class(o)) + "\"><td><code>" +
           h(o.expectation.metric) + "</code></td><td>" + strategy_chip(c, o.strategy) + "</td>";
    if (points) out += "<td class=\"num\">" + std::to_string(o.point) + "</td>";
    const bool precision = o.kind == Outcome::Kind::kPrecision;
    out += "<td><code>" + h(o.expectation.assertion) + "</code></td><td class=\"num\">" +
           (!std::isfinite(o.estimate) ? std::string("—")
            : precision                ? "half-width " + format_value(o.estimate, o.unit)
            : diff                     ? "Δ " + format_difference(o.estimate, o.unit)
                                       : format_value(o.estimate, o.unit)) +
           "</td><td class=\"num\">" +
           (precision ? std::string("—")
                      : format_interval(o.ci_low, o.ci_high, o.unit, diff) +
                            (o.pairing == Pairing::kNone ? ""
                                                         : std::string(" <span class=\"why\">") +
                                                               to_string(o.pairing) + "</span>")) +
           "</td><td><span class=\"badge badge-" + verdict_class(o) + "\">" + to_string(o.verdict) +
           "</span>";
    if (!o.note.empty() && o.verdict != Verdict::kPass)
      out += "<div class=\"why\">" + h(o.note) + "</div>";
    out += o.expectation.loc.line > 0 ? "</td><td><a href=\"#scenario-L" + line + "\">" + h(file) +
                                            ":" + line + "</a></td></tr>\n"
                                      : std::string("</td><td>command line</td></tr>\n");
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string reproduce_section(const ReportContext& c) {
  const Json& r = c.results;
  const Json& s = r.at("scenario");
  const Json tool = r.value("tool", Json::object());
  auto row = [](const std::string& k, const std::string& v) {
    return "<dt>" + k + "</dt><dd>" + v + "</dd>\n";
  };
  std::string out =
      "<section id=\"reproduce\" class=\"card\">\n<h2>Reproducibility</h2>\n"
      "<p>The same scenario file, seed, replications and faultline binary give these numbers byte "
      "for byte.</p>\n<dl class=\"facts\">\n";
  out += row("tool", h(tool.value("name", "faultline")) + " " + h(tool.value("version", "")));
  out += row("git revision", "<code>" + h(tool.value("git_revision", "")) + "</code>");
  out += row("scenario file", "<code>" + h(s.value("file", "")) + "</code>");
  out += row("scenario sha256", "<code>" + h(s.value("sha256", "")) + "</code>");
  out += row("seed", number_text(r.value("seed", Json(0))));
  out += row("replications", number_text(r.value("replications", Json(0))));
  out += row("confidence", format_confidence(c.confidence));
  out += row("engine", h(r.value("engine", "")));
  out += row("results schema", "<code>" + h(r.value("schema", "")) + "</code>");
  out +=
      "</dl>\n<p>Command:</p>\n<pre class=\"command\">" + h(r.value("reproduce", "")) + "</pre>\n";
  out += "<p class=\"note\">Check the scenario file: <code>sha256sum " + h(s.value("file", "")) +
         "</code> must print the hash above.</p>\n";
  return out + "</section>\n";
}

std::string scenario_section(const ReportContext& c) {
  const Json& s = c.results.at("scenario");
  std::string out = "<section id=\"scenario\" class=\"card\">\n<h2>The scenario</h2>\n<p><code>" +
                    h(s.value("file", "")) + "</code>";
  if (!s.contains("text") || !s["text"].is_string()) {
    return out +
           "</p>\n<p class=\"note\">This results.json does not carry the scenario text (it was "
           "written by an "
           "older faultline).</p>\n</section>\n";
  }
  out += ", exactly as run (expectation lines highlighted):</p>\n<pre class=\"scenario\">";
  std::set<int> marked;
  if (c.evaluation)
    for (const Outcome& o : c.evaluation->outcomes) marked.insert(o.expectation.loc.line);
  const std::string text = s["text"].get<std::string>();
  int line = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string id = std::to_string(line);
    out += "<span id=\"scenario-L" + id + "\" class=\"line" +
           (marked.count(line) ? " marked" : "") + "\"><span class=\"ln\" aria-hidden=\"true\">" +
           id + "</span>" + h(text.substr(start, end - start)) + "</span>";
    start = end + 1;
    ++line;
  }
  return out + "</pre>\n</section>\n";
}

std::string licences_section() {
  std::string out =
      "<section id=\"licences\" class=\"card\">\n<h2>Licences</h2>\n<p>The charts are drawn by "
      "Vega, "
      "Vega-Lite and Vega-Embed (BSD-3-Clause), inlined in this file so it works offline. Their "
      "licence notices:</p>\n";
  for (const char* name : {"vega", "vega-lite", "vega-embed"}) {
    const std::string file = std::string("LICENSE.") + name;
    out += "<details><summary>" + std::string(name) + "</summary><pre class=\"licence\">" +
           h(assets::get(file)) + "</pre></details>\n";
  }
  return out + "</section>\n";
}

}  // namespace faultline::report
