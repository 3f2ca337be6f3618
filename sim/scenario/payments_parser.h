// Parsing of the `payments:` block (the payment journey: app backend, cache and sync,
// payment links, one-time passwords, risk control, payment rails, and how borrowers
// behave when a payment fails). Errors are ScenarioErrors with file:line:col like the
// rest of the parser; docs/scenarios.md documents every key.
#pragma once

#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_reader.h"

namespace faultline {

// `n` may be absent (a null node): the defaults of PaymentsSpec, with one rail "card".
void parse_payments(const YamlReader& y, const YAML::Node& n, Scenario& s);

}  // namespace faultline
