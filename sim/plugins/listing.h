// The catalogue as `faultline list` prints it — faults, mitigations and metrics, as text
// for people or as the markdown tables the docs carry. The docs' tables are generated
// from here (scripts/update-doc-tables.sh), and tests/unit/doc_tables_test.cc fails when a
// table in docs/ differs from what this prints today.
//
//   faults|mitigations [--format text|markdown] [--table parameters|effects]
//   metrics [--format text|markdown]
//
// markdown --table parameters (default): | name | parameters (defaults) |
// markdown --table effects: | name | what it does | calibration (faults) |
#pragma once

#include <string>
#include <vector>

namespace faultline {

// The listing for `faultline list ARGS` (ARGS without "list"). Throws
// std::invalid_argument with a one-line explanation for arguments it does not know.
std::string catalogue_listing(const std::vector<std::string>& args);

}  // namespace faultline
