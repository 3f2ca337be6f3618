// The report's sections as HTML fragments, in page order. The ones a reader needs when
// JavaScript is blocked (the headline verdict, the expectations table, the strategy
// comparison) are complete here as HTML and inline SVG; the chart sections hold a
// <div class="chart"> that report.js fills with Vega-Lite, plus a server-side table or
// a <noscript> line so nothing is silently missing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "reports/context.h"

namespace faultline::report {

// The Vega-Lite specs of the page, by the id of the <div class="chart"> each fills, in
// page order (report.js embeds them and then sets data-rendered="true").
using Charts = std::vector<std::pair<std::string, nlohmann::ordered_json>>;

std::string header_section(const ReportContext& c);
std::string verdict_section(const ReportContext& c);
std::string expectations_section(const ReportContext& c);
std::string comparison_section(const ReportContext& c);  // comparison_svg.cc
std::string live_section(const ReportContext& c);  // live_section.cc; "" unless `compare` wrote it
std::string series_section(const ReportContext& c, Charts& charts);
std::string faults_section(const ReportContext& c, Charts& charts);
std::string latency_section(const ReportContext& c, Charts& charts);
std::string funnel_section(const ReportContext& c, Charts& charts);
std::string sweep_section(const ReportContext& c, Charts& charts);  // "" without a sweep
std::string cycles_section(const ReportContext& c);  // cycles_section.cc; "" with one cycle
std::string reproduce_section(const ReportContext& c);
std::string scenario_section(const ReportContext& c);
std::string licences_section();

// "day 12 22:00" for a time in seconds from the scenario start.
std::string format_instant(double seconds);
// The funnel stages: (label, metric) in order; `seen` falls back to borrowers_reminded.
struct FunnelStage {
  std::string label;
  std::string metric;
  std::string counts;  // what the row counts, in a sentence, for the note above the table
};
std::vector<FunnelStage> funnel_stages(const ReportContext& c);

}  // namespace faultline::report
