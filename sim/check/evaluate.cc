#include "sim/check/evaluate.h"

#include <algorithm>
#include <cmath>

#include "sim/scenario/error.h"

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
  std::string out = expectation.metric + " " + expectation.assertion + " [" + strategy + "]";
  if (show_point) out += " @ point " + std::to_string(point);
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

namespace {

using Json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double number(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kNaN;
}

const Json* find_point(const Json& results, int index) {
  const auto points = results.find("points");
  if (points == results.end() || !points->is_array()) return nullptr;
  for (const Json& p : *points)
    if (p.value("index", -1) == index) return &p;
  return nullptr;
}

const Json* find_strategy(const Json& point, const std::string& name) {
  for (const Json& st : point.at("strategies"))
    if (st.value("name", "") == name) return &st;
  return nullptr;
}

const Json* metric_estimate(const Json& strategy, const std::string& metric) {
  const auto metrics = strategy.find("metrics");
  if (metrics == strategy.end()) return nullptr;
  const auto m = metrics->find(metric);
  return m == metrics->end() ? nullptr : &*m;
}

std::string metric_unit(const Json& results, const std::string& metric) {
  for (const Json& m : results.value("metrics", Json::array()))
    if (m.value("name", "") == metric) return m.value("unit", "");
  return "";
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

// Fills the compared quantity and its interval; false (with o.note) when there is none.
bool quantity(const Json& metric, const Json* base_metric, const Expectation& e, Outcome& o) {
  o.n = metric.value("n", 0);
  const double mean = number(metric, "mean");
  if (!std::isfinite(mean)) {
    o.note = "the metric has no value in this run (e.g. no reminder delivered)";
    return false;
  }
  if (e.against == Against::kValue) {
    o.estimate = mean;
    o.low = number(metric, "ci_low");
    o.high = number(metric, "ci_high");
  } else {
    const double base = number(*base_metric, "mean");
    if (!std::isfinite(base)) {
      o.note = "the baseline has no value for this metric";
      return false;
    }
    // The baseline's mean is the recorded reference value; the interval is this run's.
    // Its own sampling error is not added: a baseline from the same seed and replications
    // shares every random draw with this run (replication seeds depend only on seed,
    // point and index), so an unchanged scenario reproduces it exactly and a changed one
    // differs by the change, not by independent noise. Adding both half-widths would
    // make every unchanged run INCONCLUSIVE at tight thresholds.
    o.estimate = mean - base;
    o.low = number(metric, "ci_low") - base;
    o.high = number(metric, "ci_high") - base;
    if (e.against == Against::kBaselineRelative && base != 0) {
      const double scale = std::abs(base);
      o.estimate /= scale, o.low /= scale, o.high /= scale;
      o.unit = "relative";
    }
  }
  if (!std::isfinite(o.low) || !std::isfinite(o.high)) {
    o.note = "no confidence interval (one replication); run more replications";
    return false;
  }
  return true;
}

}  // namespace

Evaluation evaluate(const Json& results, const std::vector<Expectation>& expectations,
                    const EvaluateOptions& options) {
  Evaluation out;
  const std::string file = results.at("scenario").value("file", "");
  const Json& points = results.at("points");
  for (const Expectation& e : expectations) {
    std::vector<int> indices;
    if (e.point) {
      if (!find_point(results, *e.point))
        throw ScenarioError(file, e.loc,
                            "expect: point " + std::to_string(*e.point) +
                                " does not exist; the run has " + std::to_string(points.size()) +
                                " point(s), 0 to " + std::to_string(points.size() - 1));
      indices.push_back(*e.point);
    } else {
      for (const Json& p : points) indices.push_back(p.value("index", 0));
    }
    for (const int index : indices) {
      const Json& point = *find_point(results, index);
      std::vector<std::string> strategies;
      if (e.strategy == kAllStrategies) {
        for (const Json& st : point.at("strategies")) strategies.push_back(st.value("name", ""));
      } else if (find_strategy(point, e.strategy)) {
        strategies.push_back(e.strategy);
      } else {
        throw ScenarioError(file, e.loc,
                            "expect: strategy '" + e.strategy + "' is not in the results");
      }
      for (const std::string& name : strategies) {
        Outcome o;
        o.expectation = e;
        o.strategy = name;
        o.point = index;
        o.show_point = e.point.has_value() || points.size() > 1;
        o.unit = metric_unit(results, e.metric);
        const Json* metric = metric_estimate(*find_strategy(point, name), e.metric);
        if (!metric)
          throw ScenarioError(file, e.loc,
                              "expect: metric '" + e.metric + "' is not in the results");
        const Json* base_metric = nullptr;
        bool ok = true;
        if (e.against != Against::kValue) {
          const Json* base_point =
              options.baseline ? find_point(*options.baseline, index) : nullptr;
          const Json* base_strategy = base_point ? find_strategy(*base_point, name) : nullptr;
          base_metric = base_strategy ? metric_estimate(*base_strategy, e.metric) : nullptr;
          if (!options.baseline)
            o.note = options.no_baseline_reason;
          else if (!base_metric)
            o.note = "the baseline (" + options.baseline_label + ") has no " + e.metric +
                     " for strategy " + name + " at point " + std::to_string(index);
          ok = base_metric != nullptr;
          o.verdict = Verdict::kSkipped;
        }
        if (ok) {
          o.verdict = Verdict::kInconclusive;
          if (quantity(*metric, base_metric, e, o)) {
            double bound = e.bound, upper = e.upper;
            // A relative bound against a zero baseline mean: compare the difference with 0.
            if (e.against == Against::kBaselineRelative && o.unit != "relative") bound = upper = 0;
            o.verdict = judge(e.comparison, bound, upper, o.low, o.high);
            if (base_metric) o.note = "baseline: " + options.baseline_label;
          }
        }
        o.fails = o.verdict == Verdict::kFail ||
                  (o.verdict == Verdict::kInconclusive &&
                   (options.strict || e.inconclusive == InconclusivePolicy::kFail));
        out.outcomes.push_back(std::move(o));
      }
    }
  }
  return out;
}

int extension_target(const Evaluation& evaluation, int current) {
  int cap = 0;
  for (const Outcome& o : evaluation.outcomes)
    if (o.verdict == Verdict::kInconclusive &&
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
