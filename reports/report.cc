#include "reports/report.h"

#include "faultline/assets.h"
#include "faultline/report_assets.h"
#include "reports/html.h"
#include "reports/sections.h"
#include "sim/scenario/error.h"

namespace faultline::report {

namespace {

struct Page {
  std::string body;
  Charts charts;
};

Page build(const nlohmann::json& results, const ReportOptions& options) {
  const ReportContext c(results, options.evaluation, options.expectations_note);
  Page p;
  // The order of the issue (and of docs/report.md): verdict first, the scenario last.
  p.body += header_section(c);
  p.body += "<main>\n";
  p.body += verdict_section(c);
  p.body += expectations_section(c);
  p.body += comparison_section(c);
  p.body += live_section(c);
  p.body += series_section(c, p.charts);
  p.body += faults_section(c, p.charts);
  p.body += latency_section(c, p.charts);
  p.body += funnel_section(c, p.charts);
  p.body += sweep_section(c, p.charts);
  p.body += cycles_section(c);
  p.body += reproduce_section(c);
  p.body += scenario_section(c);
  p.body += licences_section();
  p.body += "</main>\n";
  return p;
}

}  // namespace

std::vector<std::string> chart_ids(const nlohmann::json& results, const ReportOptions& options) {
  std::vector<std::string> ids;
  for (const auto& [id, spec] : build(results, options).charts) ids.push_back(id);
  return ids;
}

std::string render_report(const nlohmann::json& results, const ReportOptions& options) {
  const Page page = build(results, options);
  const nlohmann::json& tool = results.value("tool", nlohmann::json::object());
  nlohmann::ordered_json charts = nlohmann::ordered_json::array();
  for (const auto& [id, spec] : page.charts) charts.push_back({{"id", id}, {"spec", spec}});

  std::string out;
  out.reserve(1 << 20);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"faultline " +
      escape_html(tool.value("version", "")) + "\">\n<title>" +
      escape_html(results.at("scenario").value("name", "")) +
      " — faultline report</title>\n<style>\n" + std::string(report_assets::get("report.css")) +
      "</style>\n</head>\n<body>\n";
  out += page.body;
  out += "<footer>Written by faultline " + escape_html(tool.value("version", "")) + " (git " +
         escape_html(tool.value("git_revision", "")) +
         ") from results.json. Charts: Vega-Lite, Vega and Vega-Embed, "
         "BSD-3-Clause (see Licences).</footer>\n";
  out += "<script type=\"application/json\" id=\"faultline-charts\">" + json_for_script(charts) +
         "</script>\n";
  for (const char* bundle : {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"})
    out += "<script>/*! " + std::string(bundle) +
           " — BSD-3-Clause, notice in the Licences section */\n" +
           inline_script(assets::get(bundle)) + "\n</script>\n";
  out += "<script>\n" + inline_script(report_assets::get("report.js")) +
         "</script>\n</body>\n</html>\n";
  return out;
}

std::string render_report_of_file(const nlohmann::json& results, const ReportOptions& options,
                                  const std::string& file) {
  try {
    return render_report(results, options);
  } catch (const nlohmann::json::exception& e) {
    throw ScenarioError(file, {},
                        std::string("results.json lacks a field the report needs: ") + e.what());
  } catch (const std::logic_error& e) {  // invalid_argument, out_of_range from the report's lookups
    throw ScenarioError(file, {}, std::string("results.json is incomplete: ") + e.what());
  }
}

}  // namespace faultline::report
