// Verdicts of a scenario's `expect:` entries and precision targets, judged on the typed
// Summary of an experiment (and a baseline's Summary for `delta` assertions). The same
// code judges for `faultline run`, `faultline check` and `faultline report` — a Summary
// read back from results.json and runs.jsonl holds exactly the numbers the run had.
//
// A verdict comes from the confidence interval of the compared quantity: PASS when the
// whole interval satisfies the assertion, FAIL when none of it does, INCONCLUSIVE when it
// straddles the threshold (or there is no interval: one replication, or no value). A
// `delta` assertion with no baseline available is SKIPPED, never silently passed.
//
// `delta` against a baseline: when the baseline's runs.jsonl holds replications with the
// same run seeds as this run's (the same units), the difference is paired replication by
// replication — an unchanged scenario then gives exactly Δ = 0 [0, 0], and a change shows
// with the small variance common random numbers give. Otherwise the unpaired rule: the
// baseline's mean is a fixed reference value and the interval is this run's.
//
// A precision target (`precision:` or --until-ci-halfwidth) is a verdict too: PASS when
// met, INCONCLUSIVE when sequential sampling stopped at its maximum without meeting it
// (failing under --strict).
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "sim/output/summary.h"
#include "sim/scenario/expectation.h"

namespace faultline {

enum class Verdict { kPass, kFail, kInconclusive, kSkipped };
const char* to_string(Verdict v);  // "PASS", "FAIL", "INCONCLUSIVE", "SKIPPED"

// How a `delta` was compared with its baseline.
enum class Pairing {
  kNone,      // not a delta, or no baseline value
  kPaired,    // per-replication differences over the units both runs share
  kUnpaired,  // this run's interval against the baseline's mean
};
const char* to_string(Pairing p);  // "", "paired", "unpaired"

// One expectation applied to one strategy at one sweep point, or one precision target.
struct Outcome {
  enum class Kind { kExpectation, kPrecision };
  Kind kind = Kind::kExpectation;
  // For a precision target: metric, assertion "half-width <= 0.1%" and its YAML line.
  Expectation expectation;
  std::string strategy;  // for a precision target: "every strategy"
  int point = 0;
  bool show_point = false;  // the run has several points (a sweep), or the entry names one
  Verdict verdict = Verdict::kSkipped;
  // The compared quantity: the metric, its difference to the baseline (metric unit), or
  // that difference relative to the baseline's mean (unit "relative", a fraction); for a
  // precision target the widest half-width achieved (metric unit, no interval).
  std::string unit;
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  int n = 0;  // replications behind the estimate (pairs, for a paired delta)
  Pairing pairing = Pairing::kNone;
  std::string note;    // why INCONCLUSIVE or SKIPPED; which baseline and how it was compared
  bool fails = false;  // FAIL, or INCONCLUSIVE under policy fail or --strict

  // "missed_payment_rate < 0.5% [failover]" (+ " @ point 2");
  // "missed_payment_rate half-width <= 0.1% [precision]".
  std::string name() const;
};

struct EvaluateOptions {
  const Summary* baseline = nullptr;  // for `delta`; null = none
  std::string baseline_label;         // where it came from, for notes
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

// Every expectation × strategy × point, then every precision target. An expectation
// naming a point or strategy the summary lacks (possible only for a summary read back
// from another faultline's results.json; the pipeline refuses such a scenario before it
// runs) is SKIPPED with the reason.
Evaluation evaluate(const Summary& results, const std::vector<Expectation>& expectations,
                    const EvaluateOptions& options);

// The replications to reach for `inconclusive: extend` (twice `current`, capped at the
// largest max_replications asked for), or 0 when nothing calls for more.
int extension_target(const Evaluation& evaluation, int current);

// "PASS" when every outcome passed or was skipped and none is inconclusive, "FAIL" when
// one fails, "INCONCLUSIVE" otherwise; "NONE" without outcomes.
std::string overall_verdict(const Evaluation& evaluation);

}  // namespace faultline
