// What every section of the report reads: the results.json document plus the choices
// made once for the whole page — which sweep point the headline and the per-point charts
// show, the strategy order and colours (the same colour for a strategy in every chart
// and table), each metric's unit and definition, and the key metrics to compare.
//
// Headline point: point 0 without a sweep. With a sweep, the point where the reference
// strategy's missed_payment_rate is highest — the worst case the sweep explored, which is
// what a design review asks about; the sweep section shows every point.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/check/evaluate.h"

namespace faultline::report {

using Json = nlohmann::json;

// Okabe & Ito (2008), distinguishable with every common colour-vision deficiency. The
// reference strategy gets the neutral grey so the others stand out against it.
inline constexpr const char* kReferenceColour = "#6b7280";
inline constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                           "#56B4E9", "#D55E00", "#000000", "#F0E442"};

struct ReportContext {
  const Json& results;
  const Evaluation* evaluation = nullptr;  // null: expectations not evaluated
  std::string expectations_note;           // why, when not evaluated

  const Json* point = nullptr;  // the headline point
  int point_index = 0;
  bool swept = false;                   // several points
  std::vector<std::string> strategies;  // in results order; [0] is the reference
  std::vector<std::string> colours;     // parallel to strategies
  double confidence = 0.95;

  ReportContext(const Json& results, const Evaluation* evaluation, std::string note);

  const Json& strategy(const std::string& name) const;  // at the headline point
  std::string unit(const std::string& metric) const;    // "" when unknown
  std::string definition(const std::string& metric) const;
  bool has_metric(const std::string& metric) const;
  // The metrics the comparison and sweep sections show: the key ones, then any other
  // metric named in an expectation.
  std::vector<std::string> key_metrics() const;
  std::string point_label(const Json& point) const;
  // The fault windows at the headline point (a sweep may move them), else the top level's.
  Json faults() const;  // "faults[0].duration=6h" or "point 0"
};

}  // namespace faultline::report
