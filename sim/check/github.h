// GitHub Actions integration for `faultline check`: workflow-command annotations
// (`::error file=…,line=…::…` on the expectation's YAML line, `::warning` for an
// inconclusive verdict that does not fail) printed to stdout, and a markdown table for
// $GITHUB_STEP_SUMMARY. Both are escaped as GitHub documents: workflow-command data
// encodes % CR LF, properties also : and ,; markdown cells escape | and HTML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/check/scenario_check.h"

namespace faultline {

std::string github_annotations(const std::vector<ScenarioCheck>& checks);
std::string github_step_summary(const std::vector<ScenarioCheck>& checks);

std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace faultline
