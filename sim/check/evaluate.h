// Verdicts of a scenario's `expect:` entries, computed from a results.json document (and
// a baseline results.json for `delta` assertions). Working from the JSON rather than the
// in-memory summary means `faultline run`, `faultline check` and `faultline report
// results.json` reach the same verdict by the same code from the same numbers.
//
// A verdict comes from the confidence interval of the compared quantity: PASS when the
// whole interval satisfies the assertion, FAIL when none of it does, INCONCLUSIVE when it
// straddles the threshold (or there is no interval: one replication, or no value). A
// `delta` assertion with no baseline available is SKIPPED, never silently passed.
#pragma once

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario/expectation.h"

namespace faultline {

enum class Verdict { kPass, kFail, kInconclusive, kSkipped };
const char* to_string(Verdict v);  // "PASS", "FAIL", "INCONCLUSIVE", "SKIPPED"

// One expectation applied to one strategy at one sweep point.
struct Outcome {
  Expectation expectation;
  std::string strategy;
  int point = 0;
  bool show_point = false;  // the run has several points (a sweep), or the entry names one
  Verdict verdict = Verdict::kSkipped;
  // The compared quantity: the metric, its difference to the baseline (metric unit), or
  // that difference relative to the baseline's mean (unit "relative", a fraction).
  std::string unit;
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  int n = 0;           // replications behind the estimate
  std::string note;    // why INCONCLUSIVE or SKIPPED; which baseline was used
  bool fails = false;  // FAIL, or INCONCLUSIVE under policy fail or --strict

  std::string name() const;  // "missed_payment_rate < 0.5% [failover]" (+ " @ point 2")
};

struct EvaluateOptions {
  const nlohmann::json* baseline = nullptr;  // a results.json for `delta`; null = none
  std::string baseline_label;                // where it came from, for notes
  std::string no_baseline_reason = "no --baseline given";
  bool strict = false;  // INCONCLUSIVE fails whatever the policy
};

// Counts of outcomes as the summaries report them: an outcome that fails counts as failed
// whatever its verdict (an INCONCLUSIVE under --strict, say).
struct Tally {
  int pass = 0, fail = 0, inconclusive = 0, skipped = 0;
  void add(const Outcome& o);
};

struct Evaluation {
  std::vector<Outcome> outcomes;
  int count(Verdict v) const;
  bool failed() const;  // any outcome that fails
};

// Throws ScenarioError (the scenario's file, the expectation's line) when an expectation
// names a point or strategy the results do not have.
Evaluation evaluate(const nlohmann::json& results, const std::vector<Expectation>& expectations,
                    const EvaluateOptions& options);

// The replications to re-run with for `inconclusive: extend` (twice `current`, capped at
// the largest max_replications asked for), or 0 when nothing calls for more.
int extension_target(const Evaluation& evaluation, int current);

// "PASS" when every outcome passed or was skipped and none is inconclusive, "FAIL" when
// one fails, "INCONCLUSIVE" otherwise; "NONE" without outcomes.
std::string overall_verdict(const Evaluation& evaluation);

}  // namespace faultline
