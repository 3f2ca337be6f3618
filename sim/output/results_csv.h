// results.csv: the summary as one tidy table for spreadsheets and DataFrames — one row per
// sweep point × strategy × metric, with the estimate, its confidence interval and the
// paired difference to the reference strategy (docs/results-schema.md). Each swept path
// is a column of its own holding the value as written, so "missed payments vs outage
// duration" is a filter and a plot away. Same inputs, same bytes, like results.json.
#pragma once

#include <string>

#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"

namespace faultline {

std::string results_csv(const Scenario& s, const Summary& summary);

}  // namespace faultline
