#include "sim/scenario/expect_parser.h"

#include <algorithm>
#include <cctype>

#include "sim/metrics/metrics.h"

namespace faultline {

const char* to_string(InconclusivePolicy p) {
  switch (p) {
    case InconclusivePolicy::kWarn:
      return "warn";
    case InconclusivePolicy::kFail:
      return "fail";
    case InconclusivePolicy::kExtend:
      return "extend";
  }
  return "?";
}

namespace {

// Doubling three times from the scenario's replications keeps an `extend` check within
// ~8x the planned cost unless the author asks for more.
constexpr int kDefaultExtendFactor = 8;
constexpr int kMaxReplications = 100000;
constexpr std::string_view kLatencyFamily = "delivery_latency";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool take(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s = trim(s.substr(prefix.size()));
  return true;
}

std::vector<std::string> metric_names() {
  std::vector<std::string> out;
  for (const auto& m : kMetrics) out.emplace_back(m.name);
  return out;
}

std::string unit_of(const std::string& metric) {
  const MetricInfo* m = find_metric(metric);
  return m ? std::string(m->unit) : "";
}

// A threshold in the metric's unit. `delta` allows a sign and, for ratios, "pp".
std::string parse_value(std::string_view text, const std::string& unit, bool delta, double& out) {
  std::string_view v = trim(text);
  double sign = 1;
  if (delta && !v.empty() && (v.front() == '+' || v.front() == '-')) {
    sign = v.front() == '-' ? -1 : 1;
    v = trim(v.substr(1));
  }
  if (unit == "seconds") {
    const auto d = parse_duration(v);
    if (!d.ok()) return d.error() + " (latency thresholds are durations, e.g. 2h)";
    out = sign * to_seconds(d.value());
    return "";
  }
  if (unit == "ratio") {
    if (delta && v.size() > 2 && v.substr(v.size() - 2) == "pp") {
      const auto n = parse_number(v.substr(0, v.size() - 2));
      if (!n.ok()) return n.error() + "; expected percentage points such as +0.5pp";
      out = sign * n.value() / 100.0;
      return "";
    }
    const auto p = parse_probability(v);
    if (!p.ok()) return p.error();
    out = sign * p.value();
    return "";
  }
  const auto n = parse_number(v);
  if (!n.ok()) return n.error() + " (a " + unit + " threshold is a plain number)";
  out = sign * n.value();
  return "";
}

}  // namespace

std::string parse_assertion(std::string_view text, Expectation& e) {
  constexpr const char* kForms =
      "expected '< 0.5%', '<= 2h', 'p99 <= 2h' (with metric delivery_latency), "
      "'delta <= +10%' or {between: [A, B]}";
  std::string_view s = trim(text);
  e.assertion = std::string(s);
  // "p99 <= 2h" names the quantile in the assertion; the metric names the family.
  for (const char* q : {"p50", "p95", "p99"}) {
    if (s.size() > 3 && s.substr(0, 3) == q && std::isspace(static_cast<unsigned char>(s[3]))) {
      const std::string full = std::string(kLatencyFamily) + "_" + q + "_s";
      if (e.metric != kLatencyFamily && e.metric != full)
        return "the quantile prefix '" + std::string(q) + "' applies to metric " +
               std::string(kLatencyFamily) + " (giving " + full + "), not to '" + e.metric + "'";
      e.metric = full;
      s = trim(s.substr(3));
      e.assertion = std::string(s);  // the metric name now says which quantile
      break;
    }
  }
  if (e.metric == kLatencyFamily)
    return "metric delivery_latency needs a quantile: start the assertion with p50, p95 or p99, "
           "e.g. 'p99 <= 2h'";
  const std::string unit = unit_of(e.metric);
  if (unit.empty()) return "";  // the caller reports the unknown metric at the metric key
  const bool delta = take(s, "delta");
  e.against = delta ? Against::kBaselineDelta : Against::kValue;
  if (take(s, "<=") || take(s, "≤"))
    e.comparison = Comparison::kLessEqual;
  else if (take(s, ">=") || take(s, "≥"))
    e.comparison = Comparison::kGreaterEqual;
  else if (take(s, "<"))
    e.comparison = Comparison::kLess;
  else if (take(s, ">"))
    e.comparison = Comparison::kGreater;
  else
    return "'" + std::string(text) + "' has no comparison (<, <=, >, >=): " + kForms;
  if (s.empty())
    return "'" + std::string(text) + "' has no threshold after the comparison: " + kForms;
  if (delta && s.back() == '%') {
    // "delta <= +10%": relative to the baseline's mean, whatever the metric's unit.
    std::string_view num = trim(s.substr(0, s.size() - 1));
    double sign = 1;
    if (!num.empty() && (num.front() == '+' || num.front() == '-')) {
      sign = num.front() == '-' ? -1 : 1;
      num = trim(num.substr(1));
    }
    const auto n = parse_number(num);
    if (!n.ok()) return n.error() + "; expected a relative change such as +10%";
    e.against = Against::kBaselineRelative;
    e.bound = sign * n.value() / 100.0;
    return "";
  }
  if (const std::string err = parse_value(s, unit, delta, e.bound); !err.empty()) return err;
  return "";
}

namespace {

void parse_between(const YamlReader& y, const YAML::Node& n, Expectation& e,
                   const std::string& ctx) {
  y.check_keys(n, {"between"}, ctx);
  const YAML::Node pair = y.require(n, "between", ctx);
  y.expect_list(pair, ctx + ".between");
  if (pair.size() != 2) y.fail(pair, ctx + ".between: expected two bounds [LOW, HIGH]");
  const std::string unit = unit_of(e.metric);
  std::string text[2];
  double value[2] = {0, 0};
  for (std::size_t i = 0; i < 2; ++i) {
    text[i] = y.scalar(pair[i], ctx + ".between");
    if (const std::string err = parse_value(text[i], unit, false, value[i]); !err.empty())
      y.fail(pair[i], ctx + ".between: " + err);
  }
  if (value[0] > value[1])
    y.fail(pair, ctx + ".between: the first bound must not exceed the second");
  e.comparison = Comparison::kBetween;
  e.against = Against::kValue;
  e.bound = value[0];
  e.upper = value[1];
  e.assertion = "between [" + text[0] + ", " + text[1] + "]";
}

void check_strategy(const YamlReader& y, const YAML::Node& at, const std::string& name,
                    const Scenario& s, const std::string& ctx) {
  if (name == kAllStrategies) return;
  std::vector<std::string> known;
  for (const auto& st : s.strategies) {
    if (st.name == name) return;
    known.push_back(st.name);
  }
  std::string msg = ctx + ".strategy: unknown strategy '" + name + "'";
  if (const auto near = closest_match(name, known); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  std::string list;
  for (const auto& k : known) list += ", " + k;
  y.fail(at, msg + "; expected all" + list);
}

Expectation parse_one(const YamlReader& y, const YAML::Node& n, const Scenario& s,
                      const std::string& ctx) {
  y.expect_map(n, ctx);
  y.check_keys(
      n, {"metric", "strategy", "assert", "point", "cycle", "inconclusive", "max_replications"},
      ctx);
  Expectation e;
  e.loc = YamlReader::loc(n);
  const YAML::Node metric = y.require(n, "metric", ctx);
  e.metric = y.scalar(metric, ctx + ".metric");
  if (n["strategy"]) {
    e.strategy = y.scalar(n["strategy"], ctx + ".strategy");
    check_strategy(y, n["strategy"], e.strategy, s, ctx);
  } else {
    e.strategy = kAllStrategies;
  }
  const YAML::Node assertion = y.require(n, "assert", ctx);
  const std::string written_metric = e.metric;
  if (assertion.IsMap()) {
    if (e.metric == kLatencyFamily)
      y.fail(metric,
             ctx + ".metric: name the quantile, e.g. delivery_latency_p99_s, to use between");
  } else if (const std::string err = parse_assertion(y.scalar(assertion, ctx + ".assert"), e);
             !err.empty()) {
    y.fail(assertion, ctx + ".assert: " + err);
  }
  if (!find_metric(e.metric)) {
    std::string msg = ctx + ".metric: unknown metric '" + written_metric + "'";
    if (const auto near = closest_match(written_metric, metric_names()); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    y.fail(metric, msg + "; see `faultline list metrics` or docs/metrics.md");
  }
  if (assertion.IsMap()) parse_between(y, assertion, e, ctx + ".assert");
  if (const YAML::Node p = n["point"]) {
    const long long v = y.parse(p, parse_integer, ctx + ".point");
    if (v < 0 || v > 1'000'000) y.fail(p, ctx + ".point: expected a sweep point index >= 0");
    e.point = static_cast<int>(v);
  }
  if (const YAML::Node c = n["cycle"]) {
    const long long v = y.parse(c, parse_integer, ctx + ".cycle");
    // A sweep may vary population.cycles: a point with fewer cycles is SKIPPED then.
    const int most = s.sweep.enabled() ? 120 : s.population.cycles;
    if (v < 1 || v > most)
      y.fail(c, ctx + ".cycle: expected a cycle from 1 to population.cycles (" +
                    std::to_string(most) + ")");
    e.cycle = static_cast<int>(v);
    const MetricInfo* info = find_metric(e.metric);
    if (info && std::find(std::begin(kCycleMetrics), std::end(kCycleMetrics), info->id) ==
                    std::end(kCycleMetrics)) {
      std::string list;
      for (const Metric m : kCycleMetrics)
        list +=
            (list.empty() ? "" : ", ") + std::string(kMetrics[static_cast<std::size_t>(m)].name);
      y.fail(metric, ctx + ".metric: '" + e.metric +
                         "' is not recorded per cycle; with cycle: " + "expected one of " + list);
    }
  }
  if (const YAML::Node p = n["inconclusive"]) {
    const std::string v = y.scalar(p, ctx + ".inconclusive");
    if (v == "warn")
      e.inconclusive = InconclusivePolicy::kWarn;
    else if (v == "fail")
      e.inconclusive = InconclusivePolicy::kFail;
    else if (v == "extend")
      e.inconclusive = InconclusivePolicy::kExtend;
    else
      y.fail(p, ctx + ".inconclusive: unknown policy '" + v + "'; expected warn, fail or extend");
  }
  if (const YAML::Node m = n["max_replications"]) {
    if (e.inconclusive != InconclusivePolicy::kExtend)
      y.fail(m, ctx + ".max_replications: applies only with inconclusive: extend");
    const long long v = y.parse(m, parse_integer, ctx + ".max_replications");
    if (v < s.replications || v > kMaxReplications)
      y.fail(m, ctx + ".max_replications: expected " + std::to_string(s.replications) +
                    " (the scenario's replications) to " + std::to_string(kMaxReplications));
    e.max_replications = static_cast<int>(v);
  } else if (e.inconclusive == InconclusivePolicy::kExtend) {
    e.max_replications = std::min(kMaxReplications, kDefaultExtendFactor * s.replications);
  }
  return e;
}

}  // namespace

void parse_expectations(const YamlReader& y, const YAML::Node& list, Scenario& s) {
  if (list.IsNull()) return;
  y.expect_list(list, "expect");
  int index = 0;
  for (const auto& item : list)
    s.expectations.push_back(parse_one(y, item, s, "expect[" + std::to_string(index++) + "]"));
}

}  // namespace faultline
