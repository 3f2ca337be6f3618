#include "sim/check/evaluate.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>

#include "sim/experiment/stats.h"
#include "sim/metrics/metrics.h"

namespace faultline {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kInconclusive:
      return "INCONCLUSIVE";
    case Verdict::kSkipped:
      return "SKIPPED";
  }
  return "?";
}

std::string Outcome::name() const {
  if (kind == Kind::kPrecision)
    return expectation.metric + " " + expectation.assertion + " [precision]";
  std::string out = expectation.metric + " " + expectation.assertion + " [" + strategy + "]";
  if (show_point) out += " @ point " + std::to_string(point);
  if (expectation.cycle) out += " @ cycle " + std::to_string(*expectation.cycle);
  return out;
}

void Tally::add(const Outcome& o) {
  if (o.fails)
    ++fail;
  else if (o.verdict == Verdict::kPass)
    ++pass;
  else if (o.verdict == Verdict::kInconclusive)
    ++inconclusive;
  else
    ++skipped;
}

int Evaluation::count(Verdict v) const {
  return static_cast<int>(std::count_if(outcomes.begin(), outcomes.end(),
                                        [v](const Outcome& o) { return o.verdict == v; }));
}

bool Evaluation::failed() const {
  return std::any_of(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.fails; });
}

const char* to_string(Pairing p) {
  switch (p) {
    case Pairing::kNone:
      return "";
    case Pairing::kPaired:
      return "paired";
    case Pairing::kUnpaired:
      return "unpaired";
  }
  return "";
}

namespace {

const PointSummary* find_point(const Summary& results, int index) {
  for (const PointSummary& p : results.points)
    if (p.index == index) return &p;
  return nullptr;
}

const StrategySummary* find_strategy(const PointSummary& point, const std::string& name) {
  for (const StrategySummary& st : point.strategies)
    if (st.name == name) return &st;
  return nullptr;
}

// `cycle: K`: the strategy as seen at the end of cycle K — the metric's estimate replaced
// by its cycle-K estimate (results.json `cycles`), and each replication's value by its
// cycle-K value (runs.jsonl `cycle_metrics`), so a delta at a cycle is paired over the
// replications as one at the end of the run is. A replication without that cycle is left
// out (none: the delta is unpaired, and says why). Null when the results have no such
// cycle.
std::optional<StrategySummary> at_cycle(const StrategySummary& st, std::size_t m, int cycle) {
  const auto* where =
      std::find(std::begin(kCycleMetrics), std::end(kCycleMetrics), static_cast<Metric>(m));
  if (where == std::end(kCycleMetrics) || cycle < 1 ||
      static_cast<std::size_t>(cycle) > st.cycle_metrics.size())
    return std::nullopt;
  StrategySummary out;
  out.name = st.name;
  out.metrics = st.metrics;
  const auto i = static_cast<std::size_t>(where - std::begin(kCycleMetrics));
  const auto k = static_cast<std::size_t>(cycle - 1);
  out.metrics[m] = st.cycle_metrics[k][i];
  for (const ReplicationValues& r : st.runs) {
    if (r.cycle_metrics.size() <= k) continue;
    ReplicationValues at = r;
    at.metrics[m] = r.cycle_metrics[k][i];
    at.cycle_metrics.clear();
    out.runs.push_back(std::move(at));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> sorted(
    std::vector<std::pair<std::string, std::string>> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// PASS when all of [low, high] satisfies the comparison, FAIL when none of it does.
Verdict judge(Comparison c, double bound, double upper, double low, double high) {
  switch (c) {
    case Comparison::kLess:
      return high < bound ? Verdict::kPass : low >= bound ? Verdict::kFail : Verdict::kInconclusive;
    case Comparison::kLessEqual:
      return high <= bound ? Verdict::kPass : low > bound ? Verdict::kFail : Verdict::kInconclusive;
    case Comparison::kGreater:
      return low > bound ? Verdict::kPass : high <= bound ? Verdict::kFail : Verdict::kInconclusive;
    case Comparison::kGreaterEqual:
      return low >= bound ? Verdict::kPass : high < bound ? Verdict::kFail : Verdict::kInconclusive;
    case Comparison::kBetween:
      if (bound <= low && high <= upper) return Verdict::kPass;
      return high < bound || low > upper ? Verdict::kFail : Verdict::kInconclusive;
  }
  return Verdict::kInconclusive;
}

// The difference to the baseline, paired over the replications both runs share (same
// replication index and run seed) when there are any; `reference` is the baseline's mean
// over the compared replications, for relative assertions.
bool delta_quantity(const StrategySummary& mine, const StrategySummary& base, std::size_t m,
                    double confidence, const std::string& label, Outcome& o, double& reference) {
  const Estimate& own = mine.metrics[m];
  const Estimate& theirs = base.metrics[m];
  if (theirs.n == 0 || !std::isfinite(theirs.mean)) {
    o.note = "the baseline (" + label + ") has no value for this metric";
    return false;
  }
  std::vector<double> differences, baseline_values;
  for (const ReplicationValues& r : mine.runs)
    for (const ReplicationValues& b : base.runs)
      if (b.replication == r.replication && b.run_seed == r.run_seed) {
        differences.push_back(r.metrics[m] - b.metrics[m]);
        baseline_values.push_back(b.metrics[m]);
        break;
      }
  if (!differences.empty()) {
    o.pairing = Pairing::kPaired;
    const Estimate d = estimate(differences, confidence);
    o.n = static_cast<int>(d.n);
    o.estimate = d.mean;
    o.ci_low = d.ci_low;
    o.ci_high = d.ci_high;
    // Every pair identical: the baseline reproduced exactly, so the difference is exactly
    // zero — also with a single pair, where no interval could be estimated.
    if (std::all_of(differences.begin(), differences.end(), [](double v) { return v == 0; }))
      o.ci_low = o.ci_high = 0;
    reference = estimate(baseline_values, confidence).mean;
    o.note = "baseline: " + label + ", paired over " + std::to_string(d.n) +
             (d.n == mine.runs.size() ? "" : " of " + std::to_string(mine.runs.size())) +
             " replication(s) with the same run seeds";
    if (!std::isfinite(d.mean)) {
      o.note += "; the metric has no value in some of them";
      return false;
    }
  } else {
    // No shared units: the baseline's mean is a fixed reference value and the interval is
    // this run's (its own sampling error is not added).
    o.pairing = Pairing::kUnpaired;
    o.n = static_cast<int>(own.n);
    o.estimate = own.mean - theirs.mean;
    o.ci_low = own.ci_low - theirs.mean;
    o.ci_high = own.ci_high - theirs.mean;
    reference = theirs.mean;
    o.note = "baseline: " + label + ", unpaired (" +
             (base.runs.empty()   ? std::string("it has no runs.jsonl beside it")
              : mine.runs.empty() ? std::string("this run's per-replication values are not at hand")
                                  : std::string("no replication shares a run seed with it")) +
             ")";
  }
  return true;
}

// Fills the compared quantity and its interval; false (with o.note) when there is none.
bool quantity(const StrategySummary& mine, const StrategySummary* base, std::size_t m,
              const Expectation& e, double confidence, const std::string& label, Outcome& o) {
  const Estimate& own = mine.metrics[m];
  o.n = static_cast<int>(own.n);
  if (!std::isfinite(own.mean)) {
    o.note = "the metric has no value in this run (e.g. no reminder delivered)";
    return false;
  }
  if (e.against == Against::kValue) {
    o.estimate = own.mean;
    o.ci_low = own.ci_low;
    o.ci_high = own.ci_high;
  } else {
    double reference = 0;
    if (!delta_quantity(mine, *base, m, confidence, label, o, reference)) return false;
    if (e.against == Against::kBaselineRelative && reference != 0) {
      const double scale = std::abs(reference);
      o.estimate /= scale, o.ci_low /= scale, o.ci_high /= scale;
      o.unit = "relative";
    }
  }
  if (!std::isfinite(o.ci_low) || !std::isfinite(o.ci_high)) {
    o.note = (o.note.empty() ? "" : o.note + "; ") +
             "no confidence interval (one replication); run more replications";
    return false;
  }
  return true;
}

Outcome precision_outcome(const TargetOutcome& t, const PrecisionOutcome& p, bool strict) {
  Outcome o;
  o.kind = Outcome::Kind::kPrecision;
  o.expectation.metric = t.target.metric;
  o.expectation.assertion = "half-width <= " + t.target.as_written;
  o.expectation.comparison = Comparison::kLessEqual;
  o.expectation.bound = t.target.half_width;
  o.expectation.loc = t.target.loc;
  o.strategy = "every strategy";
  const MetricInfo* info = find_metric(t.target.metric);
  o.unit = info ? std::string(info->unit) : "";
  o.estimate = t.achieved;
  o.n = p.replications;
  o.verdict = t.met ? Verdict::kPass : Verdict::kInconclusive;
  if (!t.met)
    o.note = "not met after " + std::to_string(p.replications) + " replications (at most " +
             std::to_string(p.max_replications) +
             "); the widest interval over strategies and points is still too wide";
  o.fails = !t.met && strict;
  return o;
}

}  // namespace

Evaluation evaluate(const Summary& results, const std::vector<Expectation>& expectations,
                    const EvaluateOptions& options) {
  Evaluation out;
  for (const Expectation& e : expectations) {
    std::vector<const PointSummary*> points;
    if (e.point) {
      if (const PointSummary* p = find_point(results, *e.point)) points.push_back(p);
    } else {
      for (const PointSummary& p : results.points) points.push_back(&p);
    }
    const MetricInfo* info = find_metric(e.metric);
    if (points.empty() || !info) {
      Outcome o;
      o.expectation = e;
      o.strategy = e.strategy;
      o.point = e.point.value_or(0);
      o.show_point = e.point.has_value();
      o.note = !info ? "this faultline has no metric '" + e.metric + "'"
                     : "the results have no point " + std::to_string(*e.point);
      out.outcomes.push_back(std::move(o));
      continue;
    }
    const auto m = static_cast<std::size_t>(info->id);
    for (const PointSummary* point : points) {
      std::vector<std::string> strategies;
      if (e.strategy == kAllStrategies)
        for (const StrategySummary& st : point->strategies) strategies.push_back(st.name);
      else
        strategies.push_back(e.strategy);
      for (const std::string& name : strategies) {
        Outcome o;
        o.expectation = e;
        o.strategy = name;
        o.point = point->index;
        o.show_point = e.point.has_value() || results.points.size() > 1;
        o.unit = std::string(info->unit);
        const StrategySummary* mine = find_strategy(*point, name);
        const StrategySummary* base = nullptr;
        std::optional<StrategySummary> mine_at, base_at;  // with `cycle:`
        o.verdict = Verdict::kSkipped;
        bool ok = mine != nullptr;
        if (!mine) o.note = "the results have no strategy '" + name + "'";
        if (ok && e.cycle) {
          mine_at = at_cycle(*mine, m, *e.cycle);
          mine = mine_at ? &*mine_at : nullptr;
          ok = mine != nullptr;
          if (!ok)
            o.note = "the results have no cycle " + std::to_string(*e.cycle) + " of " + e.metric;
        }
        if (ok && e.against != Against::kValue) {
          const PointSummary* base_point =
              options.baseline ? find_point(*options.baseline, point->index) : nullptr;
          if (base_point && sorted(base_point->parameters) != sorted(point->parameters))
            base_point = nullptr;
          base = base_point ? find_strategy(*base_point, name) : nullptr;
          if (base && e.cycle) {
            base_at = at_cycle(*base, m, *e.cycle);
            base = base_at ? &*base_at : nullptr;
          }
          if (!options.baseline)
            o.note = options.no_baseline_reason;
          else if (!base)
            o.note = "the baseline (" + options.baseline_label + ") has no strategy " + name +
                     " at point " + std::to_string(point->index) + " with these parameters";
          ok = base != nullptr;
        }
        if (ok) {
          o.verdict = Verdict::kInconclusive;
          if (quantity(*mine, base, m, e, results.confidence, options.baseline_label, o)) {
            double bound = e.bound, upper = e.upper;
            // A relative bound against a zero baseline mean: compare the difference with 0.
            if (e.against == Against::kBaselineRelative && o.unit != "relative") bound = upper = 0;
            o.verdict = judge(e.comparison, bound, upper, o.ci_low, o.ci_high);
          }
        }
        o.fails = o.verdict == Verdict::kFail ||
                  (o.verdict == Verdict::kInconclusive &&
                   (options.strict || e.inconclusive == InconclusivePolicy::kFail));
        out.outcomes.push_back(std::move(o));
      }
    }
  }
  if (results.precision.enabled)
    for (const TargetOutcome& t : results.precision.targets)
      out.outcomes.push_back(precision_outcome(t, results.precision, options.strict));
  return out;
}

int extension_target(const Evaluation& evaluation, int current) {
  int cap = 0;
  for (const Outcome& o : evaluation.outcomes)
    if (o.kind == Outcome::Kind::kExpectation && o.verdict == Verdict::kInconclusive &&
        o.expectation.inconclusive == InconclusivePolicy::kExtend)
      cap = std::max(cap, o.expectation.max_replications);
  if (cap <= current) return 0;
  return static_cast<int>(std::min<long long>(2LL * current, cap));
}

std::string overall_verdict(const Evaluation& evaluation) {
  if (evaluation.outcomes.empty()) return "NONE";
  if (evaluation.failed()) return "FAIL";
  if (evaluation.count(Verdict::kInconclusive) > 0) return "INCONCLUSIVE";
  if (evaluation.count(Verdict::kPass) == 0) return "SKIPPED";
  return "PASS";
}

}  // namespace faultline
