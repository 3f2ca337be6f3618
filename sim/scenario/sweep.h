// The `sweep:` block of a scenario: which parameters vary and over which values. A path
// names one value of the scenario file the way a reader would point at it —
// `faults[0].duration`, `strategies.failover.vendor_failover.detect`,
// `infrastructure.vendors.alpha.capacity` — and takes a list of values as written in YAML
// or an evenly spaced range. This file holds the parsed block only; sweep_grid.h turns it
// into one validated Scenario per point of the cartesian grid (docs/scenarios.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/error.h"

namespace YAML {
class Node;
}

namespace faultline {

class YamlReader;

// One step of a path: a mapping key (`vendors`) or a list position (`[0]`).
struct PathStep {
  std::string key;  // empty for a list position
  int index = -1;   // >= 0 for a list position
};

struct SweepAxis {
  std::string path;  // as written, e.g. "faults[0].duration"
  std::vector<PathStep> steps;
  SourceLoc loc;                      // of the path key inside `sweep:`
  std::vector<std::string> values;    // as written (lists) or as generated (ranges)
  std::vector<SourceLoc> value_locs;  // per value; a range's values all point at the range
  bool is_range = false;
};

struct SweepSpec {
  std::vector<SweepAxis> axes;  // in file order; the first axis varies slowest
  SourceLoc loc;                // of the `sweep` key's value

  bool enabled() const { return !axes.empty(); }
  std::size_t points() const;  // product of the axes' sizes (1 without a sweep)
};

inline constexpr std::size_t kMaxSweepPoints = 1000;
inline constexpr int kMaxRangeSteps = 1000;

// Parses the block's syntax: paths, lists, ranges. Whether a path names a real value and
// whether each value suits it is checked by expand_sweep (sweep_grid.h).
SweepSpec parse_sweep(const YAML::Node& node, const YamlReader& y);

// "faults[0].duration" → steps; false (with `error` set) when the path is malformed.
bool parse_sweep_path(const std::string& text, std::vector<PathStep>& steps, std::string& error);

// The `steps` values evenly spaced from `from` to `to`, both included, written in the
// ends' own unit: durations ("5m", "1h"), instants ("12d 06:00"), or a number with an
// optional suffix shared by both ends ("1%", "100/s", "200000"). False with `error` set
// when the ends cannot be interpolated.
bool range_values(const std::string& from, const std::string& to, int steps,
                  std::vector<std::string>& out, std::string& error);

}  // namespace faultline
