// A scenario's YAML tree as Python values and back, and changes at key paths: what
// Scenario.from_dict, to_dict, with_ and sweep() are made of. The tree is yaml-cpp's, the
// same the parser reads, and every changed scenario goes back through the ordinary
// parser as text — so a value set from Python meets exactly the checks the same value
// meets in a file, and the text that ran is what results.json and the report show.
//
// Key paths name a value the way the sweep block does: `population.borrowers`,
// `faults[0].duration`; `faults.0.duration` is the same path (a number after a dot is a
// list position where the tree holds a list there).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "python/src/bindings.h"

namespace faultline::python {

// A Python value as a YAML node: dict (string keys), list/tuple, str, bool, int, float,
// datetime.timedelta (a duration: "90s", "2d"), None (null). Raises TypeError naming
// `where` for anything else, ValueError for a non-finite float.
YAML::Node to_yaml(py::handle value, const std::string& where);

// A YAML node as Python values: mappings → dict, sequences → list; a plain scalar that
// reads as a YAML 1.2 boolean, integer, float or null → bool, int, float or None, every
// other scalar (and every quoted one) → str. to_yaml(to_python(n)) means the same to the
// scenario parser as n.
py::object to_python(const YAML::Node& node);

// The tree as YAML text (block style; flow collections stay flow). Comments are lost.
std::string emit(const YAML::Node& root);

// Puts `value` at `path` (None removes the key or list entry). Every step but the last
// must exist, so a typo never creates a new strategy or vendor; the last may be a new key,
// or the position just past a list's end (appends). A path that names nothing raises
// ScenarioError at the mapping or list where it stops (file:line:col of `root`'s text).
void set_path(YAML::Node root, const std::string& path, py::handle value, const std::string& file);

// Merges a dict into a mapping: a dict value merges into an existing mapping, None
// removes the key, anything else replaces (lists are replaced whole).
void merge(YAML::Node map, const py::dict& changes, const std::string& where);

// `path` in the sweep block's spelling: positions in brackets where the tree holds a list
// (`faults.0.duration` → `faults[0].duration`). Steps the tree lacks are left as keys, for
// the sweep's own validation to report.
std::string sweep_path(const YAML::Node& root, const std::string& path);

}  // namespace faultline::python
