// The chart sections: hourly series with fault windows shaded, the fault timeline
// (Gantt), the delivery-latency CDFs (a panel per channel), the funnel and, with a sweep,
// the sweep curves. Each adds a Vega-Lite spec (filled by report.js) and keeps a
// server-side table or a <noscript> note beside it. Data are pre-aggregated here: no
// series exceeds kMaxSeriesPoints per strategy, and numbers are rounded so the file stays
// small and byte-stable.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/html.h"
#include "reports/sections.h"
#include "sim/check/format.h"
#include "sim/scenario/scenario.h"

namespace faultline::report {

namespace {

using OJson = nlohmann::ordered_json;
constexpr std::size_t kMaxSeriesPoints = 2000;
constexpr int kChartWidth = 820;
constexpr const char* kFaultColour = "#D55E00";
constexpr const char* kFont =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

double rounded(double v, double digits) {
  const double f = std::pow(10, digits);
  return std::round(v * f) / f;
}

double number(const Json& j, const char* key, double fallback = NAN) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

OJson config() {
  return {
      {"font", kFont},
      {"view", {{"stroke", nullptr}}},
      {"axis",
       {{"labelColor", "#4b5563"},
        {"titleColor", "#1f2937"},
        {"gridColor", "#e5e7eb"},
        {"domainColor", "#9ca3af"},
        {"tickColor", "#9ca3af"},
        {"labelFontSize", 11},
        {"titleFontSize", 12},
        {"titleFontWeight", 600}}},
      {"legend",
       {{"labelFontSize", 12}, {"titleFontSize", 12}, {"orient", "top"}, {"symbolStrokeWidth", 3}}},
      {"title",
       {{"fontSize", 13},
        {"anchor", "start"},
        {"color", "#111827"},
        {"subtitleColor", "#6b7280"}}}};
}

OJson colour(const ReportContext& c) {
  return {{"field", "strategy"},
          {"type", "nominal"},
          {"title", "strategy"},
          {"sort", c.strategies},
          {"scale", {{"domain", c.strategies}, {"range", c.colours}}}};
}

std::string chart_div(const std::string& id, const std::string& label) {
  return "<div class=\"chart\" id=\"" + id + "\" role=\"img\" aria-label=\"" + escape_html(label) +
         "\"></div>\n<noscript><p class=\"noscript\">This chart needs JavaScript; the numbers are "
         "in results.json"
         " and in the tables of this report.</p></noscript>\n";
}

double horizon_d(const ReportContext& c) {
  return number(c.results.at("scenario"), "horizon_s", 0) / 86400;
}

// Every window of a fault ([start_s, end_s] pairs): the Schedule's `windows`, or the one
// `start_s`/`end_s` of results written before they were listed.
std::vector<std::pair<double, double>> windows_of(const Json& f) {
  std::vector<std::pair<double, double>> out;
  if (f.contains("windows") && f["windows"].is_array()) {
    for (const Json& w : f["windows"])
      out.emplace_back(number(w, "start_s", 0), number(w, "end_s", 0));
    return out;
  }
  out.emplace_back(number(f, "start_s", 0), number(f, "end_s", 0));
  return out;
}

OJson fault_windows(const ReportContext& c) {
  OJson rows = OJson::array();
  for (const Json& f : c.faults())
    for (const auto& [start, end] : windows_of(f))
      rows.push_back({{"start_d", rounded(start / 86400, 4)}, {"end_d", rounded(end / 86400, 4)}});
  return rows;
}

const char* series_help(const std::string& name) {
  if (name == "sms_sent") return "messages accepted by a vendor";
  if (name == "reminders_delivered") return "reminders reaching the handset";
  if (name == "sms_lost") return "messages rejected, dropped, expired or failed (at submission)";
  if (name == "payments") return "payments made";
  return "";
}

// A strategy's per-channel latency CDFs; empty in results written before they existed.
Json cdf_by_channel(const ReportContext& c, const std::string& strategy) {
  const Json& s = c.strategy(strategy);
  const auto it = s.find("delivery_latency_cdf_by_channel");
  return it != s.end() && it->is_object() ? *it : Json::object();
}

}  // namespace

std::string series_section(const ReportContext& c, Charts& charts) {
  const double bin_s = number(c.results, "series_bin_s", 3600);
  std::vector<std::string> names;
  std::size_t length = 0;
  if (!c.strategies.empty()) {
    const Json& first = c.strategy(c.strategies[0]).value("series", Json::object());
    for (auto it = first.begin(); it != first.end(); ++it) length = std::max(length, it->size());
    for (const char* n : {"sms_sent", "reminders_delivered", "sms_lost", "payments"})
      if (first.contains(n)) names.emplace_back(n);
    for (auto it = first.begin(); it != first.end(); ++it)
      if (std::find(names.begin(), names.end(), it.key()) == names.end()) names.push_back(it.key());
  }
  // Adjacent bins are summed so that no line has more than kMaxSeriesPoints points.
  const std::size_t group =
      std::max<std::size_t>(1, (length + kMaxSeriesPoints - 1) / kMaxSeriesPoints);
  const double step_d = bin_s * static_cast<double>(group) / 86400;
  OJson rows = OJson::array();
  for (const std::string& strategy : c.strategies) {
    const Json& series = c.strategy(strategy).value("series", Json::object());
    for (const std::string& name : names) {
      if (!series.contains(name)) continue;
      const Json& values = series[name];
      OJson t = OJson::array(), v = OJson::array();
      for (std::size_t i = 0; i < values.size(); i += group) {
        double sum = 0;
        for (std::size_t k = i; k < std::min(values.size(), i + group); ++k)
          sum += values[k].is_number() ? values[k].get<double>() : 0;
        t.push_back(rounded(static_cast<double>(i / group) * step_d, 4));
        v.push_back(rounded(sum, 2));
      }
      rows.push_back({{"strategy", strategy}, {"series", name}, {"t", t}, {"v", v}});
    }
  }
  const std::string per =
      group == 1 && bin_s == 3600
          ? "per hour"
          : "per " + format_value(bin_s * static_cast<double>(group), "seconds");
  const OJson faults = fault_windows(c);
  OJson panels = OJson::array();
  for (const std::string& name : names) {
    OJson layers = OJson::array();
    if (!faults.empty())
      layers.push_back({{"data", {{"name", "faults"}}},
                        {"mark", {{"type", "rect"}, {"color", kFaultColour}, {"opacity", 0.13}}},
                        {"encoding",
                         {{"x", {{"field", "start_d"}, {"type", "quantitative"}}},
                          {"x2", {{"field", "end_d"}}}}}});
    layers.push_back(
        {{"data", {{"name", "series"}}},
         {"transform",
          {{{"filter", {{"field", "series"}, {"equal", name}}}}, {{"flatten", {"t", "v"}}}}},
         {"mark",
          {{"type", "line"},
           {"interpolate", "step-after"},
           {"strokeWidth", 1.6},
           {"opacity", 0.85}}},
         {"encoding",
          {{"x",
            {{"field", "t"},
             {"type", "quantitative"},
             {"title", "day"},
             {"scale", {{"domain", {0, horizon_d(c)}}, {"nice", false}}}}},
           {"y", {{"field", "v"}, {"type", "quantitative"}, {"title", per}}},
           {"color", colour(c)}}}});
    panels.push_back(
        {{"title", {{"text", name}, {"subtitle", std::string(series_help(name)) + ", " + per}}},
         {"width", kChartWidth},
         {"height", 120},
         {"layer", layers}});
  }
  OJson spec = {
      {"datasets", {{"series", rows}, {"faults", faults}}},
      {"vconcat", panels},
      {"spacing", 18},
      {"resolve", {{"scale", {{"x", "shared"}, {"y", "independent"}, {"color", "shared"}}}}},
      {"config", config()}};
  charts.emplace_back("chart-series", std::move(spec));
  std::string out =
      "<section id=\"series\" class=\"card\">\n<h2>Hourly time series</h2>\n<p class=\"note\">Mean "
      "over "
      "replications of each count " +
      per + ", per strategy";
  if (c.swept) out += " (point " + std::to_string(c.point_index) + ")";
  out += ". Shaded: fault windows.</p>\n" +
         chart_div("chart-series", "hourly sends, deliveries, losses and payments per strategy");
  return out + "</section>\n";
}

std::string faults_section(const ReportContext& c, Charts& charts) {
  const Json faults = c.faults();
  std::string out = "<section id=\"faults\" class=\"card\">\n<h2>Fault timeline</h2>\n";
  if (faults.empty()) return out + "<p>No faults in this scenario.</p>\n</section>\n";
  OJson rows = OJson::array();
  std::string table =
      "<table "
      "class=\"data\">\n<thead><tr><th>Fault</th><th>Start</th><th>End</th><th>Parameters</"
      "th><th>Line</th></tr></thead>\n<tbody>\n";
  for (const Json& f : faults) {
    const Json params = f.value("params", Json::object());
    std::string label = f.value("type", "fault");
    if (params.contains("target") && params["target"].is_string())
      label += " → " + params["target"].get<std::string>();
    const std::string line = std::to_string(f.value("line", 0));
    label += " (line " + line + ")";
    std::string text;
    for (auto it = params.begin(); it != params.end(); ++it)
      text += (text.empty() ? "" : ", ") + it.key() + ": " +
              (it->is_string() ? it->get<std::string>() : it->dump());
    const double start = number(f, "start_s", 0), end = number(f, "end_s", 0);
    for (const auto& [from, to] : windows_of(f))  // one bar per occurrence
      rows.push_back({{"fault", label},
                      {"start_d", rounded(from / 86400, 4)},
                      {"end_d", rounded(to / 86400, 4)},
                      {"start", format_instant(from)},
                      {"end", format_instant(to)},
                      {"parameters", text}});
    table += "<tr><td>" + escape_html(label) + "</td><td>" + format_instant(start) + "</td><td>" +
             format_instant(end) + "</td><td>" + escape_html(text) +
             "</td><td><a href=\"#scenario-L" + line + "\">" + line + "</a></td></tr>\n";
  }
  OJson spec = {
      {"data", {{"values", rows}}},
      {"width", kChartWidth},
      {"height", {{"step", 30}}},
      {"mark", {{"type", "bar"}, {"color", kFaultColour}, {"cornerRadius", 3}, {"opacity", 0.85}}},
      {"encoding",
       {{"y", {{"field", "fault"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}}},
        {"x",
         {{"field", "start_d"},
          {"type", "quantitative"},
          {"title", "day"},
          {"scale", {{"domain", {0, horizon_d(c)}}, {"nice", false}}}}},
        {"x2", {{"field", "end_d"}}},
        {"tooltip",
         {{{"field", "fault"}},
          {{"field", "start"}},
          {{"field", "end"}},
          {{"field", "parameters"}}}}}},
      {"config", config()}};
  charts.emplace_back("chart-faults", std::move(spec));
  out += chart_div("chart-faults", "fault windows on the scenario's timeline");
  return out + table + "</tbody>\n</table>\n</section>\n";
}

std::string latency_section(const ReportContext& c, Charts& charts) {
  std::string out =
      "<section id=\"latency\" class=\"card\">\n<h2>Delivery latency</h2>\n<p "
      "class=\"note\">Empirical CDF of the time from the reminder batch to the handset, over "
      "delivered reminders pooled across replications, one line per strategy. One panel per "
      "channel that delivered anything, after all channels pooled when there are several";
  // Panels: every channel with data, the known ones in Channel order; all channels pooled
  // first when there are several (or alone for results without the per-channel field).
  std::vector<std::string> channels;
  for (const std::string_view name : kChannelNames) channels.emplace_back(name);
  for (const std::string& strategy : c.strategies) {
    const Json by = cdf_by_channel(c, strategy);
    for (auto it = by.begin(); it != by.end(); ++it)
      if (std::find(channels.begin(), channels.end(), it.key()) == channels.end())
        channels.push_back(it.key());
  }
  OJson rows = OJson::array();
  std::vector<std::string> panels;
  auto add = [&](const std::string& strategy, const std::string& panel, const Json& cdf) {
    if (!cdf.is_array() || cdf.empty()) return;
    OJson le = OJson::array(), p = OJson::array();
    for (const Json& point : cdf) {
      le.push_back(number(point, "le_s"));
      p.push_back(rounded(number(point, "p"), 6));
    }
    rows.push_back({{"strategy", strategy}, {"channel", panel}, {"le_s", le}, {"p", p}});
    if (std::find(panels.begin(), panels.end(), panel) == panels.end()) panels.push_back(panel);
  };
  for (const std::string& channel : channels)
    for (const std::string& strategy : c.strategies)
      add(strategy, channel, cdf_by_channel(c, strategy).value(channel, Json::array()));
  const std::string pooled = "all channels";
  if (panels.size() != 1) {
    for (const std::string& strategy : c.strategies)
      add(strategy, pooled, c.strategy(strategy).value("delivery_latency_cdf", Json::array()));
    std::rotate(panels.begin(), std::find(panels.begin(), panels.end(), pooled), panels.end());
  }
  std::string listed;
  for (const std::string& panel : panels)
    listed += (listed.empty() ? "" : ", ") + escape_html(panel);
  out += listed.empty() ? "" : " (here: <strong>" + listed + "</strong>)";
  out +=
      ". Read at log-spaced histogram edges: a point is at most 12 % to the right of the "
      "truth.</p>\n";
  if (rows.empty())
    return out +
           "<p>No reminder was delivered in any run: there is no latency to "
           "show.</p>\n</section>\n";
  const bool grid = panels.size() > 1;
  OJson views = OJson::array();
  for (const std::string& panel : panels) {
    const std::string subtitle =
        panel == pooled ? "every channel: share of delivered reminders with latency ≤ x"
                        : "share of reminders delivered by " + panel + " with latency ≤ x";
    views.push_back(
        {{"title", {{"text", panel}, {"subtitle", subtitle}}},
         {"width", grid ? kChartWidth / 2 - 30 : kChartWidth},
         {"height", grid ? 200 : 260},
         {"data", {{"name", "latency"}}},
         {"transform",
          {{{"filter", {{"field", "channel"}, {"equal", panel}}}}, {{"flatten", {"le_s", "p"}}}}},
         {"encoding",
          {{"x",
            {{"field", "le_s"},
             {"type", "quantitative"},
             {"title", "latency (seconds, log scale)"},
             {"scale", {{"type", "log"}}}}},
           {"y",
            {{"field", "p"},
             {"type", "quantitative"},
             {"title", "cumulative share"},
             {"axis", {{"format", ".0%"}}},
             {"scale", {{"domain", {0, 1}}}}}},
           {"color", colour(c)}}},
         // A dot where each line reaches 100 %: the slowest delivery's bin, and the only
         // mark a CDF of one point (everything in one bin) would otherwise not get.
         {"layer",
          {{{"mark", {{"type", "line"}, {"interpolate", "step-after"}, {"strokeWidth", 2}}}},
           {{"transform",
             {{{"joinaggregate", {{{"op", "max"}, {"field", "le_s"}, {"as", "end_s"}}}},
               {"groupby", {"strategy"}}},
              {{"filter", "datum.le_s === datum.end_s"}}}},
            {"mark", {{"type", "point"}, {"filled", true}, {"size", 36}, {"opacity", 0.9}}},
            {"encoding",
             {{"tooltip",
               {{{"field", "strategy"}},
                {{"field", "channel"}},
                {{"field", "le_s"}, {"title", "all delivered within (s)"}}}}}}}}}});
  }
  // One x scale for every panel, so a channel's curve sits where its latencies are
  // relative to the others'.
  OJson spec = {{"datasets", {{"latency", rows}}},
                {"concat", views},
                {"columns", 2},
                {"spacing", 24},
                {"resolve", {{"scale", {{"x", "shared"}, {"y", "shared"}, {"color", "shared"}}}}},
                {"config", config()}};
  charts.emplace_back("chart-latency", std::move(spec));
  return out + chart_div("chart-latency", "delivery latency CDF per channel and strategy") +
         "</section>\n";
}

std::string funnel_section(const ReportContext& c, Charts& charts) {
  const std::vector<FunnelStage> stages = funnel_stages(c);
  std::string out =
      "<section id=\"funnel\" class=\"card\">\n<h2>Funnel</h2>\n<p class=\"note\">Mean per run "
      "of each row's metric, and its share of the instalments due:</p>\n<ul class=\"note\">";
  for (const FunnelStage& stage : stages)
    out += "<li><strong>" + stage.label + "</strong> (<code>" + stage.metric +
           "</code>): " + escape_html(stage.counts) + "</li>";
  out += "</ul>\n";
  OJson rows = OJson::array(), order = OJson::array();
  std::string table = "<table class=\"data funnel\">\n<thead><tr><th>Stage</th><th>Metric</th>";
  for (std::size_t i = 0; i < c.strategies.size(); ++i)
    table += "<th class=\"num\"><span class=\"chip\" style=\"background:" + c.colours[i] +
             "\"></span>" + escape_html(c.strategies[i]) + "</th>";
  table += "</tr></thead>\n<tbody>\n";
  for (const FunnelStage& stage : stages) {
    order.push_back(stage.label);
    table +=
        "<tr><th scope=\"row\">" + stage.label + "</th><td><code>" + stage.metric + "</code></td>";
    for (const std::string& strategy : c.strategies) {
      const Json metrics = c.strategy(strategy).value("metrics", Json::object());
      const double v = metrics.contains(stage.metric) ? number(metrics[stage.metric], "mean") : NAN;
      const double due =
          metrics.contains("payments_due") ? number(metrics["payments_due"], "mean") : NAN;
      rows.push_back(
          {{"stage", stage.label},
           {"strategy", strategy},
           {"value", std::isfinite(v) ? OJson(rounded(v, 2)) : OJson(nullptr)},
           {"share",
            std::isfinite(v) && due > 0 ? format_value(v / due, "ratio") + " of due" : ""}});
      table += "<td class=\"num\">" + format_value(v, "count") +
               (std::isfinite(v) && due > 0
                    ? " <span class=\"share\">(" + format_value(v / due, "ratio") + ")</span>"
                    : "") +
               "</td>";
    }
    table += "</tr>\n";
  }
  const int height = static_cast<int>(stages.size() * (c.strategies.size() * 14 + 14));
  OJson spec = {
      {"data", {{"values", rows}}},
      {"width", kChartWidth},
      {"height", height},
      {"mark", {{"type", "bar"}, {"cornerRadiusEnd", 2}}},
      {"encoding",
       {{"y", {{"field", "stage"}, {"type", "nominal"}, {"sort", order}, {"title", nullptr}}},
        {"yOffset", {{"field", "strategy"}, {"sort", c.strategies}}},
        {"x", {{"field", "value"}, {"type", "quantitative"}, {"title", "mean per run"}}},
        {"color", colour(c)},
        {"tooltip",
         {{{"field", "strategy"}},
          {{"field", "stage"}},
          {{"field", "value"}, {"format", ",.0f"}},
          {{"field", "share"}}}}}},
      {"config", config()}};
  charts.emplace_back("chart-funnel", std::move(spec));
  return out + chart_div("chart-funnel", "funnel from due to paid on time per strategy") + table +
         "</tbody>\n</table>\n</section>\n";
}

std::string sweep_section(const ReportContext& c, Charts& charts) {
  if (c.results.value("sweep", Json()).is_null() || !c.swept) return "";
  std::vector<std::string> metrics;
  for (const std::string& m : c.key_metrics())
    if (m == "missed_payment_rate" || m == "notification_loss_rate" || m == "late_payment_rate" ||
        (c.evaluation && std::any_of(c.evaluation->outcomes.begin(), c.evaluation->outcomes.end(),
                                     [&](const Outcome& o) { return o.expectation.metric == m; })))
      metrics.push_back(m);
  OJson rows = OJson::array(), labels = OJson::array();
  std::string axis;
  for (const Json& p : c.results.at("points")) {
    const std::string label = c.point_label(p);
    labels.push_back(label);
    const Json params = p.value("parameters", Json::object());
    if (params.size() == 1) axis = params.begin().key();
    for (const Json& st : p.at("strategies")) {
      const Json m = st.value("metrics", Json::object());
      for (const std::string& metric : metrics) {
        if (!m.contains(metric)) continue;
        const Json& e = m[metric];
        const double mean = number(e, "mean"), low = number(e, "ci_low", mean),
                     high = number(e, "ci_high", mean);
        if (!std::isfinite(mean)) continue;
        rows.push_back({{"point", p.value("index", 0)},
                        {"label", label},
                        {"strategy", st.value("name", "")},
                        {"metric", metric},
                        {"mean", mean},
                        {"low", low},
                        {"high", high}});
      }
    }
  }
  OJson panels = OJson::array();
  for (const std::string& metric : metrics) {
    const bool ratio = c.unit(metric) == "ratio";
    OJson y = {{"type", "quantitative"}, {"title", metric}};
    if (ratio) y["axis"] = {{"format", ".1%"}};
    OJson x = {{"field", "label"},
               {"type", "ordinal"},
               {"sort", labels},
               {"title", axis.empty() ? "sweep point" : axis},
               {"axis", {{"labelAngle", 0}}}};
    OJson ym = y, yl = y;
    ym["field"] = "mean";
    yl["field"] = "low";
    panels.push_back(
        {{"title",
          {{"text", metric},
           {"subtitle", "mean and " + format_confidence(c.confidence) + " CI per strategy"}}},
         {"width", kChartWidth},
         {"height", 200},
         {"transform", {{{"filter", {{"field", "metric"}, {"equal", metric}}}}}},
         {"layer",
          {{{"mark", {{"type", "rule"}, {"strokeWidth", 2}, {"opacity", 0.6}}},
            {"encoding", {{"x", x}, {"y", yl}, {"y2", {{"field", "high"}}}, {"color", colour(c)}}}},
           {{"mark", {{"type", "line"}, {"point", true}, {"strokeWidth", 2}}},
            {"encoding",
             {{"x", x},
              {"y", ym},
              {"color", colour(c)},
              {"tooltip",
               {{{"field", "strategy"}},
                {{"field", "label"}},
                {{"field", "mean"}},
                {{"field", "low"}},
                {{"field", "high"}}}}}}}}}});
  }
  OJson spec = {{"data", {{"values", rows}}},
                {"vconcat", panels},
                {"spacing", 24},
                {"resolve", {{"scale", {{"y", "independent"}, {"color", "shared"}}}}},
                {"config", config()}};
  charts.emplace_back("chart-sweep", std::move(spec));
  return "<section id=\"sweep\" class=\"card\">\n<h2>Sweep</h2>\n<p class=\"note\">Each point of "
         "the sweep on the "
         "x axis, in the order run; per strategy the mean and its confidence interval.</p>\n" +
         chart_div("chart-sweep", "key metrics across the sweep points per strategy") +
         "</section>\n";
}

}  // namespace faultline::report
