// The expectations' verdicts on the terminal, shared by `faultline run` and `faultline
// check`: one line per expectation × strategy (× point) with the estimate, the interval
// and the YAML line, then a count.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/check/baseline.h"
#include "sim/check/evaluate.h"
#include "sim/scenario/scenario.h"

namespace faultline::cli {

std::string verdict_table(const std::string& file, const Evaluation& evaluation, double confidence);

}  // namespace faultline::cli
