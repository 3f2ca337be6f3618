// Turns a scenario's sweep into its points: one fully validated Scenario per point of the
// cartesian grid. Each point is made by putting the swept values into the scenario's own
// YAML tree and running the ordinary parser on it, so a swept value meets exactly the
// kind, unit and range checks of the key it replaces, and an error points at the value in
// the `sweep:` block (file:line:col). Experiment settings (seed, replications, confidence,
// precision) are the base scenario's, so command-line overrides apply to every point.
// Everything else comes from the file's text: changes made to the base Scenario in code
// do not reach the points. A point's own `sweep` is empty: it is a plain scenario.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/parser.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct SweepPoint {
  int index = 0;
  // (path, value as written), one per axis in sweep order; empty without a sweep.
  std::vector<std::pair<std::string, std::string>> parameters;
  Scenario scenario;
};

// Every point, in row-major order (the first axis varies slowest). A scenario without a
// sweep gives one point: index 0, no parameters, the scenario itself. Throws
// ScenarioError for a path that names nothing, or a value its key rejects.
std::vector<SweepPoint> expand_sweep(const Scenario& base, const Catalogues& catalogues);

}  // namespace faultline
