// The HTML report's server-rendered part: sections in the documented order, the values in
// its tables, the page readable before any script, every scenario string escaped in every
// context (text, attributes, JSON inside <script>), pre-aggregation of long series, and
// byte-identical output for the same input. The browser test (tests/browser) checks
// that the charts really render.
#include "reports/report.h"

#include <gtest/gtest.h>

#include "reports/html.h"
#include "sim/output/results_json.h"
#include "sim/pipeline/experiment.h"
#include "sim/scenario/expect_parser.h"
#include "tests/unit/scenario_fixture.h"

namespace faultline {
namespace {

using Json = nlohmann::json;

Json estimate(double mean, double half_width) {
  return {{"mean", mean},
          {"sd", half_width},
          {"ci_low", mean - half_width},
          {"ci_high", mean + half_width},
          {"half_width", half_width},
          {"n", 20}};
}

// A results.json shaped as docs/results-schema.md, with round numbers to look for.
Json synthetic_results(const std::string& name = "demo", const std::string& second = "failover",
                       std::size_t bins = 48) {
  Json metrics = Json::array();
  for (const auto& [m, unit] :
       std::vector<std::pair<std::string, std::string>>{{"missed_payment_rate", "ratio"},
                                                        {"late_payment_rate", "ratio"},
                                                        {"notification_loss_rate", "ratio"},
                                                        {"delivery_latency_p95_s", "seconds"},
                                                        {"payments_due", "obligations"},
                                                        {"borrowers_reminded", "borrowers"},
                                                        {"borrowers_saw_reminder", "borrowers"},
                                                        {"payment_attempts", "attempts"},
                                                        {"paid_on_time", "obligations"}})
    metrics.push_back({{"name", m}, {"unit", unit}, {"definition", "definition of " + m}});
  auto strategy = [&](const std::string& n, double missed, double diff) {
    Json series = Json::object();
    for (const char* s : {"sms_sent", "reminders_delivered", "sms_lost", "payments"})
      series[s] = std::vector<double>(bins, 10.0);
    return Json{
        {"name", n},
        {"mitigations", Json::array()},
        {"metrics",
         {{"missed_payment_rate", estimate(missed, 0.0021)},
          {"late_payment_rate", estimate(0.09, 0.003)},
          {"notification_loss_rate", estimate(0.5, 0.006)},
          {"delivery_latency_p95_s", estimate(30, 2)},
          {"payments_due", estimate(20000, 0)},
          {"borrowers_reminded", estimate(15000, 10)},
          {"borrowers_saw_reminder", estimate(12000, 10)},
          {"payment_attempts", estimate(19000, 10)},
          {"paid_on_time", estimate(17000, 10)}}},
        {"difference_to_reference",
         {{"missed_payment_rate", estimate(diff, 0.0008)},
          {"late_payment_rate", estimate(0, 0)},
          {"notification_loss_rate", estimate(0, 0)},
          {"delivery_latency_p95_s", estimate(0, 0)},
          {"payments_due", estimate(0, 0)},
          {"borrowers_reminded", estimate(0, 0)},
          {"borrowers_saw_reminder", estimate(0, 0)},
          {"payment_attempts", estimate(0, 0)},
          {"paid_on_time", estimate(0, 0)}}},
        {"series", series},
        {"delivery_latency_cdf", {{{"le_s", 5.0}, {"p", 0.5}}, {{"le_s", 20.0}, {"p", 1.0}}}},
        {"delivery_latency_cdf_by_channel",
         {{"sms", {{{"le_s", 5.0}, {"p", 0.6}}, {{"le_s", 10.0}, {"p", 1.0}}}},
          {"push", {{{"le_s", 8.0}, {"p", 0.2}}, {{"le_s", 20.0}, {"p", 1.0}}}}}}};
  };
  return {
      {"schema", "faultline-results/1"},
      {"tool", {{"name", "faultline"}, {"version", "0.1.0"}, {"git_revision", "abc123"}}},
      {"reproduce", "faultline run x.yaml --seed 7 --replications 20"},
      {"scenario",
       {{"name", name},
        {"description", "a demo"},
        {"file", "x.yaml"},
        {"sha256", "f00d"},
        {"horizon_s", 1296000.0},
        {"borrowers", 20000},
        {"text", "scenario: demo\nexpect:\n  - {}\n"}}},
      {"engine", "native"},
      {"seed", 7},
      {"replications", 20},
      {"confidence", 0.95},
      {"reference_strategy", "baseline"},
      {"metrics", metrics},
      {"series_bin_s", 3600.0},
      {"faults",
       {{{"type", "vendor_outage"},
         {"line", 19},
         {"start_s", 417600.0},
         {"end_s", 590400.0},
         {"params", {{"target", "alpha"}, {"mode", "silent_drop"}}}}}},
      {"sweep", nullptr},
      {"points",
       {{{"index", 0},
         {"parameters", Json::object()},
         {"strategies", {strategy("baseline", 0.0648, 0), strategy(second, 0.0492, -0.0155)}}}}}};
}

Evaluation verdicts(const Json& results) {
  auto make = [](const std::string& strategy, const std::string& assertion, int line) {
    Expectation e;
    e.metric = "missed_payment_rate";
    e.strategy = strategy;
    EXPECT_EQ(parse_assertion(assertion, e), "");
    e.loc = {line, 5};
    return e;
  };
  return evaluate(summary_from_results(results, nullptr), {make("all", "< 6%", 3)}, {});
}

// The chart specs the page hands to report.js, parsed back from its <script> element.
Json page_charts(const std::string& html) {
  const std::size_t open = html.find('>', html.find("id=\"faultline-charts\"")) + 1;
  return Json::parse(html.substr(open, html.find("</script>", open) - open));
}

Json chart_spec(const std::string& html, const std::string& id) {
  for (const Json& chart : page_charts(html))
    if (chart["id"] == id) return chart["spec"];
  ADD_FAILURE() << "no chart " << id;
  return Json::object();
}

// The latency chart's panel titles, in order.
std::vector<std::string> latency_panels(const Json& spec) {
  std::vector<std::string> titles;
  for (const Json& view : spec["concat"]) titles.push_back(view["title"]["text"]);
  return titles;
}

std::size_t at(const std::string& html, const std::string& what) {
  const std::size_t p = html.find(what);
  EXPECT_NE(p, std::string::npos) << what;
  return p;
}

TEST(Report, SectionsComeInTheDocumentedOrderWithTheirValues) {
  const Json r = synthetic_results();
  const Evaluation e = verdicts(r);
  const std::string html = report::render_report(r, {&e, ""});
  std::size_t last = 0;
  for (const char* id : {"id=\"verdict\"", "id=\"expectations\"", "id=\"comparison\"",
                         "id=\"series\"", "id=\"faults\"", "id=\"latency\"", "id=\"funnel\"",
                         "id=\"reproduce\"", "id=\"scenario\"", "id=\"licences\""}) {
    const std::size_t p = at(html, id);
    EXPECT_GT(p, last) << id << " out of order";
    last = p;
  }
  EXPECT_EQ(html.find("id=\"sweep\""), std::string::npos) << "no sweep section without a sweep";
  // Headline: one of two checks fails (baseline at 6.48% is not < 6%).
  EXPECT_NE(html.find("<div class=\"badge badge-fail\">FAIL</div>"), std::string::npos);
  EXPECT_NE(html.find("1 passed, 1 failed, 0 inconclusive, 0 skipped — of 2 checks"),
            std::string::npos);
  EXPECT_NE(html.find("missed_payment_rate 4.92% vs 6.48% for baseline — <strong>-1.55 pp</strong> "
                      "(95% CI [-1.63 pp, -1.47 pp])"),
            std::string::npos);
  // Expectations table: threshold, estimate, interval, verdict, link to the YAML line.
  EXPECT_NE(html.find("<td><code>&lt; 6%</code></td><td class=\"num\">6.48%</td><td "
                      "class=\"num\">[6.27%, 6.69%]</td>"
                      "<td><span class=\"badge badge-fail\">FAIL</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"#scenario-L3\">x.yaml:3</a>"), std::string::npos);
  EXPECT_NE(html.find("id=\"scenario-L3\" class=\"line marked\""), std::string::npos);
  // Comparison: estimates and paired differences as text beside the SVG whiskers.
  EXPECT_NE(html.find("<td class=\"num\">4.92% [4.71%, 5.13%]</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">-1.55 pp [-1.63 pp, -1.47 pp]</td>"), std::string::npos);
  EXPECT_NE(html.find("data-metric=\"delivery_latency_p95_s\""), std::string::npos);
  // Fault table and funnel table (server-side beside their charts).
  EXPECT_NE(
      html.find("<td>vendor_outage → alpha (line 19)</td><td>day 4 20:00</td><td>day 6 20:00</td>"),
      std::string::npos);
  // The funnel's "seen" row is the model's own metric (borrowers who looked at a reminder),
  // not borrowers_reminded again, and the note says what every row counts.
  EXPECT_NE(html.find("<th scope=\"row\">seen</th><td><code>borrowers_saw_reminder</code></td><td "
                      "class=\"num\">12,000 <span class=\"share\">(60.0%)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<li><strong>seen</strong> (<code>borrowers_saw_reminder</code>): borrowers "
                      "who looked at at least one delivered reminder"),
            std::string::npos);
  EXPECT_EQ(html.find("repeats <code>borrowers_reminded</code>"), std::string::npos);
  // Reproducibility.
  EXPECT_NE(
      html.find("<pre class=\"command\">faultline run x.yaml --seed 7 --replications 20</pre>"),
      std::string::npos);
  EXPECT_NE(html.find("<dd><code>f00d</code></dd>"), std::string::npos);
  // Licences of the inlined bundles.
  EXPECT_NE(html.find("<summary>vega-lite</summary>"), std::string::npos);
  EXPECT_EQ(
      report::chart_ids(r, {&e, ""}),
      (std::vector<std::string>{"chart-series", "chart-faults", "chart-latency", "chart-funnel"}));
}

TEST(Report, ReadableWithoutJavaScript) {
  const Json r = synthetic_results();
  const Evaluation e = verdicts(r);
  const std::string html = report::render_report(r, {&e, ""});
  // Everything before the first script is what a reader sees with scripts blocked.
  const std::string static_part = html.substr(0, html.find("<script"));
  for (const char* must :
       {"id=\"verdict\"", "id=\"expectations\"", "id=\"comparison\"", "<svg class=\"whisker\"",
        "<svg class=\"axis\"", "<noscript>", "id=\"scenario\""})
    EXPECT_NE(static_part.find(must), std::string::npos) << must;
  EXPECT_EQ(static_part.find("<link"), std::string::npos) << "no external stylesheet";
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
}

TEST(Report, ScenarioStringsAreEscapedInEveryContext) {
  const std::string evil = "<script>alert(1)</script>";
  Json r = synthetic_results(evil, "\"><img src=x onerror=alert(2)>");
  r["scenario"]["description"] = "</script><script>alert(3)</script>";
  r["scenario"]["text"] = "scenario: '" + evil + "'\n<!-- comment -->\n";
  r["scenario"]["file"] = "a\"b'.yaml";
  r["faults"][0]["params"]["target"] = evil;
  r["points"][0]["strategies"][0]["delivery_latency_cdf_by_channel"][evil] = {
      {{"le_s", 5.0}, {"p", 1.0}}};
  const Evaluation e = verdicts(r);
  const std::string html = report::render_report(r, {&e, ""});
  EXPECT_NE(html.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; — faultline report</title>"),
            std::string::npos);
  EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
  // (The vendored vega-embed bundle itself contains "<img" in a template; look at the page.)
  EXPECT_EQ(html.substr(0, html.find("<script")).find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<!-- comment"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("push, &lt;script&gt;alert(1)&lt;/script&gt;</strong>"), std::string::npos)
      << "a channel name from the results, in the latency note";
  // Exactly the page's own scripts: the chart data, three bundles and report.js.
  std::size_t scripts = 0;
  for (std::size_t p = html.find("<script"); p != std::string::npos;
       p = html.find("<script", p + 1))
    ++scripts;
  EXPECT_EQ(scripts, 5u);
  // The chart JSON carries the names \u-escaped and still parses back to the same text.
  const std::size_t begin = html.find("<script type=\"application/json\" id=\"faultline-charts\">");
  ASSERT_NE(begin, std::string::npos);
  const std::size_t open = html.find('>', begin) + 1;
  const std::string data = html.substr(open, html.find("</script>", open) - open);
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_NE(data.find("\\u003cscript\\u003ealert(1)"), std::string::npos);
  const Json charts = Json::parse(data);
  EXPECT_EQ(charts[0]["spec"]["datasets"]["series"][4]["strategy"],
            "\"><img src=x onerror=alert(2)>");
}

TEST(Report, FaultTimelineDrawsEveryWindowOfARepeatingFault) {
  Json r = synthetic_results("demo", "failover", 24);
  r["faults"][0]["windows"] = {{{"start_s", 86400.0}, {"end_s", 90000.0}},
                               {{"start_s", 172800.0}, {"end_s", 176400.0}},
                               {{"start_s", 259200.0}, {"end_s", 262800.0}}};
  const std::string html = report::render_report(r, {});
  const Json bars = chart_spec(html, "chart-faults")["data"]["values"];
  ASSERT_EQ(bars.size(), 3u) << "one bar per occurrence";
  EXPECT_EQ(bars[1]["start_d"], 2.0);
  EXPECT_EQ(bars[2]["end_d"], 3.0417);
  EXPECT_EQ(bars[0]["fault"], bars[2]["fault"]) << "on the fault's own row";
  // Results written before `windows` existed: the one start_s/end_s bar.
  r["faults"][0].erase("windows");
  EXPECT_EQ(chart_spec(report::render_report(r, {}), "chart-faults")["data"]["values"].size(), 1u);
}

TEST(Report, EscapingHelpers) {
  EXPECT_EQ(report::escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(report::inline_script("var s = \"</script><!--\"; x = '</SCRIPT'"),
            "var s = \"<\\/script><\\!--\"; x = '<\\/SCRIPT'");
  EXPECT_EQ(report::json_for_script(nlohmann::ordered_json("a\u2028b</s>&")),
            "\"a\\u2028b\\u003c/s\\u003e\\u0026\"");
}

TEST(Report, LongSeriesArePreAggregatedAndSweepsGetCurves) {
  Json r = synthetic_results("demo", "failover", 5000);
  Json second = r["points"][0];
  second["index"] = 1;
  second["parameters"] = {{"faults[0].duration", "12h"}};
  r["points"][0]["parameters"] = {{"faults[0].duration", "6h"}};
  second["strategies"][0]["metrics"]["missed_payment_rate"]["mean"] = 0.08;  // the worse point
  r["points"].push_back(second);
  r["sweep"] = {{"axes", {{{"path", "faults[0].duration"}, {"values", {"6h", "12h"}}}}}};
  const std::string html = report::render_report(r, {});
  EXPECT_NE(html.find("id=\"sweep\""), std::string::npos);
  EXPECT_NE(html.find("show point 1 (12h)"), std::string::npos)
      << "headline point: where baseline misses most";
  EXPECT_EQ(report::chart_ids(r, {}).back(), "chart-sweep");
  const Json charts = page_charts(html);
  for (const Json& row : charts[0]["spec"]["datasets"]["series"]) {
    EXPECT_LE(row["t"].size(), 2000u);
    EXPECT_EQ(row["v"][0], 30.0) << "3 hourly bins of 10 summed";
  }
  EXPECT_NE(html.find("<div class=\"badge badge-none\">NO EXPECTATIONS</div>"), std::string::npos);
}

TEST(Report, LatencyCdfHasAPanelPerChannelThatDelivered) {
  Json r = synthetic_results();
  // The second strategy delivered on a third channel; nobody used in_app.
  r["points"][0]["strategies"][1]["delivery_latency_cdf_by_channel"]["email"] = {
      {{"le_s", 3600.0}, {"p", 1.0}}};
  const std::string html = report::render_report(r, {});
  const Json spec = chart_spec(html, "chart-latency");
  // Pooled first (there are several channels), then the channels in Channel order.
  EXPECT_EQ(latency_panels(spec),
            (std::vector<std::string>{"all channels", "sms", "push", "email"}));
  EXPECT_NE(html.find("(here: <strong>all channels, sms, push, email</strong>)"),
            std::string::npos);
  EXPECT_EQ(spec.dump().find("in_app"), std::string::npos) << "no deliveries, no panel";
  EXPECT_EQ(html.substr(0, html.find("<script")).find("in_app"), std::string::npos);
  // One row per (strategy, channel with data): 2 sms + 2 push + 1 email, then 2 pooled.
  const Json& rows = spec["datasets"]["latency"];
  ASSERT_EQ(rows.size(), 7u);
  for (const Json& row : rows) {
    ASSERT_EQ(row["le_s"].size(), row["p"].size());
    EXPECT_LE(row["le_s"].size(), 2000u);
    for (std::size_t i = 1; i < row["p"].size(); ++i)
      EXPECT_GE(row["p"][i].get<double>(), row["p"][i - 1].get<double>());
    EXPECT_EQ(row["p"].back(), 1.0);
  }
  EXPECT_EQ(
      rows[0],
      (Json{
          {"strategy", "baseline"}, {"channel", "sms"}, {"le_s", {5.0, 10.0}}, {"p", {0.6, 1.0}}}));
  EXPECT_EQ(rows[4]["strategy"], "failover");
  EXPECT_EQ(rows[4]["channel"], "email");
  EXPECT_EQ(rows[5]["channel"], "all channels");
  // Each panel draws its own channel's rows, coloured by strategy like every other chart.
  EXPECT_EQ(spec["concat"][2]["transform"][0]["filter"]["equal"], "push");
  EXPECT_EQ(spec["concat"][2]["encoding"]["color"]["field"], "strategy");
  EXPECT_EQ(spec["resolve"]["scale"]["x"], "shared");
  // Still one chart on the page (the browser test counts them).
  EXPECT_EQ(report::chart_ids(r, {}).size(), 4u);
}

TEST(Report, LatencyCdfOfOneChannelOrOfOlderResults) {
  Json one = synthetic_results();
  for (Json& st : one["points"][0]["strategies"])
    st["delivery_latency_cdf_by_channel"].erase("push");
  EXPECT_EQ(latency_panels(chart_spec(report::render_report(one, {}), "chart-latency")),
            std::vector<std::string>{"sms"})
      << "one channel: no pooled panel repeating it";
  // results.json written before the per-channel field: the pooled CDF alone.
  Json old = synthetic_results();
  for (Json& st : old["points"][0]["strategies"]) st.erase("delivery_latency_cdf_by_channel");
  const Json spec = chart_spec(report::render_report(old, {}), "chart-latency");
  EXPECT_EQ(latency_panels(spec), std::vector<std::string>{"all channels"});
  EXPECT_EQ(spec["datasets"]["latency"][1]["p"], (Json{0.5, 1.0}));
  // Nothing delivered anywhere: a sentence, no chart.
  Json none = synthetic_results();
  for (Json& st : none["points"][0]["strategies"]) {
    st["delivery_latency_cdf"] = Json::array();
    st["delivery_latency_cdf_by_channel"] = Json::object();
  }
  EXPECT_NE(report::render_report(none, {}).find("No reminder was delivered in any run"),
            std::string::npos);
  EXPECT_EQ(report::chart_ids(none, {}).size(), 3u);
}

TEST(Report, SameResultsGiveTheSameBytes) {
  Scenario s = testing::parse_text(
      testing::small_scenario(
          "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, duration: 2d}\n",
          "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n") +
      "expect:\n  - {metric: missed_payment_rate, strategy: failover, assert: \"< 10%\"}\n");
  ExperimentOptions options;
  options.replications = 2;
  options.jobs = 2;
  const Experiment experiment(s, options);
  const Results a = experiment.run(), b = experiment.run();
  const Json ja = Json::parse(results_json(experiment.scenario(), a.summary, a.reproduce));
  const Json jb = Json::parse(results_json(experiment.scenario(), b.summary, b.reproduce));
  const std::string ha = report::render_report(ja, {&a.evaluation, ""});
  EXPECT_EQ(ha, report::render_report(jb, {&b.evaluation, ""}));
  EXPECT_NE(ha.find("<span class=\"badge badge-pass\">PASS</span>"), std::string::npos);
  EXPECT_GT(ha.size(), 800'000u) << "the three Vega bundles are inlined";
}

}  // namespace
}  // namespace faultline
