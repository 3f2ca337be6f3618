// The JSON Schema (draft 2020-12) of the scenario format, for editors: with
// `# yaml-language-server: $schema=…` at the top of a scenario, the YAML language server
// (VS Code, Neovim, JetBrains, Helix…) completes keys, offers the enum values and shows
// each key's help on hover. `faultline schema` prints it; scenarios/scenario.schema.json
// is that output, committed (scripts/update-doc-tables.sh regenerates it; a test fails
// when it is stale).
//
// Faults, mitigations and their parameters (kinds, units, defaults, choices, renamed
// spellings) come from the plug-in registries — the same PluginInfo the parser validates
// against — and metric names from kMetrics. The fixed blocks (population, channels,
// infrastructure, payments, …) mirror sim/scenario/*_parser.cc key for key. The schema
// checks shapes, kinds and names; the cross-checks only the parser can make (a vendor
// that is not declared, shares adding up to 100 %, the horizon covering the due days)
// stay with `faultline validate`. tests/e2e/schema_test.py validates every shipped
// scenario with python3-jsonschema and checks that invalid files fail both ways.
#pragma once

#include <string>

namespace faultline {

// The schema, pretty-printed (2-space indent, trailing newline).
std::string scenario_schema_text();

}  // namespace faultline
