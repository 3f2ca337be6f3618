// An `expect:` entry of a scenario: a claim about one metric for one strategy (or all),
// checked against the confidence interval of the estimate after the run. Thresholds are
// stored in the metric's own unit (ratio, seconds, count), so the check never needs the
// YAML again; `assertion` keeps the text as written for tables, JUnit and annotations.
// docs/scenarios.md (section `expect`) is the user's description of every key.
#pragma once

#include <optional>
#include <string>

#include "sim/scenario/error.h"

namespace faultline {

enum class Comparison { kLess, kLessEqual, kGreater, kGreaterEqual, kBetween };

// What to do when the interval straddles the threshold (verdict INCONCLUSIVE).
enum class InconclusivePolicy {
  kWarn,    // report it; the check still passes (fails under --strict)
  kFail,    // count it as a failure
  kExtend,  // re-run with twice the replications, up to max_replications, then warn
};

// Compared with what: the metric itself, or its change from the same metric in a
// baseline results.json (`delta ...`), in the metric's unit or relative to the baseline.
enum class Against { kValue, kBaselineDelta, kBaselineRelative };

inline constexpr const char* kAllStrategies = "all";

struct Expectation {
  std::string metric;     // a name from kMetrics (resolved, e.g. "p99" → delivery_latency_p99_s)
  std::string strategy;   // a strategy name, or kAllStrategies
  std::string assertion;  // as written: "< 0.5%", "between [1%, 5%]", "delta <= +10%"
  Comparison comparison = Comparison::kLess;
  Against against = Against::kValue;
  double bound = 0;          // metric unit; a fraction (0.1 = 10 %) for kBaselineRelative
  double upper = 0;          // kBetween only: the interval is [bound, upper]
  std::optional<int> point;  // a sweep point index; none = every point
  // population.cycles > 1: the metric at the end of this cycle (1-based; one of
  // kCycleMetrics, results.json `cycles`); none = the run's end-of-run value.
  std::optional<int> cycle;
  InconclusivePolicy inconclusive = InconclusivePolicy::kWarn;
  int max_replications = 0;  // kExtend: stop doubling here (absolute, so reruns reproduce)
  SourceLoc loc;             // of the list item: the YAML line reported everywhere
};

const char* to_string(InconclusivePolicy p);

}  // namespace faultline
