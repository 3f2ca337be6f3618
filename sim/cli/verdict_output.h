// The expectations' verdicts on the terminal, shared by `faultline run` and `faultline
// check`: one line per expectation × strategy (× point) with the estimate, the interval
// and the YAML line, then a count. Also the loading of a scenario's expectations back
// from a results.json (its scenario.text), for `faultline report`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/check/baseline.h"
#include "sim/check/evaluate.h"
#include "sim/scenario/scenario.h"

namespace faultline::cli {

std::string verdict_table(const std::string& file, const Evaluation& evaluation, double confidence);

// The expectations of the scenario embedded in `results` (scenario.text), parsed with
// this binary's catalogues. Returns false with `why` set when there is no text or it no
// longer parses.
bool expectations_from_results(const nlohmann::json& results, std::vector<Expectation>& out,
                               std::string& why);

}  // namespace faultline::cli
