// The `precision:` block (and `--until-ci-halfwidth`): sequential sampling. Instead of a
// fixed number of replications, keep adding them until the confidence interval of each
// named metric is narrow enough — for every strategy at every sweep point — or a maximum
// is reached. Targets are written in the metric's own unit: `0.1%` for a ratio, `30s` for
// a latency, a plain number for counts (docs/scenarios.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/error.h"

namespace YAML {
class Node;
}

namespace faultline {

class YamlReader;

struct PrecisionTarget {
  std::string metric;      // a name from kMetrics
  double half_width = 0;   // in the metric's unit (ratio, seconds, count); > 0
  std::string as_written;  // "0.1%"
  SourceLoc loc;           // {0,0} when it came from the command line
};

struct PrecisionSpec {
  std::vector<PrecisionTarget> targets;  // empty: a fixed number of replications
  int max_replications = 200;
  SourceLoc loc;

  bool enabled() const { return !targets.empty(); }
};

PrecisionSpec parse_precision(const YAML::Node& node, const YamlReader& y);

// "missed_payment_rate=0.1%,late_payment_rate=0.2%" (the --until-ci-halfwidth form).
// Throws std::invalid_argument with what is wrong and what was expected.
std::vector<PrecisionTarget> parse_precision_targets(std::string_view text);

// One target value for the named metric; false with `error` set when the metric is
// unknown (with the closest name suggested) or the value does not suit its unit.
bool parse_precision_target(const std::string& metric, const std::string& value,
                            PrecisionTarget& out, std::string& error);

}  // namespace faultline
