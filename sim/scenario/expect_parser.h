// Reads a scenario's `expect:` list into Expectations, checking everything that can be
// checked before a run: the metric exists (closest name suggested), the strategy is
// declared (or `all`), the assertion parses in the metric's unit ("< 0.5%" for a ratio,
// "<= 2h" for a latency), and the policy keys agree. Errors are file:line:col like every
// other scenario error. Called by the scenario parser after `strategies` is read.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "sim/scenario/expectation.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_reader.h"

namespace faultline {

void parse_expectations(const YamlReader& y, const YAML::Node& list, Scenario& s);

// Parses an assertion string ("< 0.5%", "p99 <= 2h", "delta <= +10%") for `metric` into
// `e` (comparison, against, bound) and may resolve a quantile prefix into e.metric.
// Returns "" on success, else what was wrong and what was expected. Exposed for tests.
std::string parse_assertion(std::string_view text, Expectation& e);

}  // namespace faultline
