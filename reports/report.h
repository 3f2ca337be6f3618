// The HTML report: one self-contained file rendered from a results.json document (and
// the verdicts of its expectations, themselves computed from that document), with the
// CSS, the page script and the Vega bundles inlined, so it opens from disk with no
// network. The verdict, the expectations and the strategy comparison are server-side
// HTML and SVG and read without JavaScript; the other charts are Vega-Lite specs that
// report.js embeds, setting data-rendered="true" on <html> once all have rendered.
// The output is a pure function of the inputs: same results.json, same bytes.
// docs/report.md describes the page section by section.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/check/evaluate.h"

namespace faultline::report {

struct ReportOptions {
  const Evaluation* evaluation = nullptr;  // the scenario's expectations, judged; null = none
  std::string expectations_note;           // shown when they could not be judged, and why
};

// Throws std::exception (nlohmann or std::invalid_argument) when `results` lacks the
// fields the schema promises.
std::string render_report(const nlohmann::json& results, const ReportOptions& options);

// render_report of a document read from `file` (`faultline report`, Python's
// load_results): a document that lacks what the report needs is bad input, a
// ScenarioError naming the file.
std::string render_report_of_file(const nlohmann::json& results, const ReportOptions& options,
                                  const std::string& file);

// The ids of the Vega-Lite charts the page holds, in order (what the browser test counts).
std::vector<std::string> chart_ids(const nlohmann::json& results, const ReportOptions& options);

}  // namespace faultline::report
