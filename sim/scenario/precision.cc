#include "sim/scenario/precision.h"

#include <stdexcept>

#include "sim/metrics/metrics.h"
#include "sim/scenario/yaml_reader.h"

namespace faultline {

namespace {
std::vector<std::string> metric_names() {
  std::vector<std::string> out;
  for (const auto& m : kMetrics) out.emplace_back(m.name);
  return out;
}
}  // namespace

bool parse_precision_target(const std::string& metric, const std::string& value,
                            PrecisionTarget& out, std::string& error) {
  const MetricInfo* info = find_metric(metric);
  if (!info) {
    error = "unknown metric '" + metric + "'";
    if (const auto near = closest_match(metric, metric_names()); !near.empty())
      error += " (did you mean '" + near + "'?)";
    error += "; see `faultline list metrics`";
    return false;
  }
  double v = 0;
  if (info->unit == "ratio") {
    const auto p = parse_probability(value);
    if (!p.ok()) return error = metric + ": " + p.error(), false;
    v = p.value();
  } else if (info->unit == "seconds") {
    // A latency target reads best as a duration ("30s"); a bare number is seconds.
    const auto d = parse_duration(value);
    const auto n = parse_number(value);
    if (d.ok())
      v = to_seconds(d.value());
    else if (n.ok())
      v = n.value();
    else
      return error = metric + ": " + d.error(), false;
  } else {
    const auto n = parse_number(value);
    if (!n.ok()) return error = metric + ": " + n.error(), false;
    v = n.value();
  }
  if (!(v > 0)) return error = metric + ": the half-width target must be above zero", false;
  out.metric = metric;
  out.half_width = v;
  out.as_written = value;
  return true;
}

std::vector<PrecisionTarget> parse_precision_targets(std::string_view text) {
  std::vector<PrecisionTarget> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item(text.substr(start, comma - start));
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw std::invalid_argument("'" + item +
                                  "' is not METRIC=HALF_WIDTH, e.g. missed_payment_rate=0.1%");
    PrecisionTarget t;
    std::string error;
    if (!parse_precision_target(item.substr(0, eq), item.substr(eq + 1), t, error))
      throw std::invalid_argument(error);
    for (const auto& other : out)
      if (other.metric == t.metric)
        throw std::invalid_argument("metric '" + t.metric + "' appears twice");
    out.push_back(t);
    start = comma + 1;
  }
  return out;
}

PrecisionSpec parse_precision(const YAML::Node& node, const YamlReader& y) {
  PrecisionSpec spec;
  spec.loc = YamlReader::loc(node);
  y.expect_map(node, "precision");
  y.check_keys(node, {"metrics", "max_replications"}, "precision");
  const YAML::Node metrics = y.require(node, "metrics", "precision");
  y.expect_map(metrics, "precision.metrics");
  y.check_keys(metrics, metric_names(), "precision.metrics");  // unknown or repeated names
  for (auto it = metrics.begin(); it != metrics.end(); ++it) {
    const std::string name = y.scalar(it->first, "precision.metrics");
    PrecisionTarget t;
    std::string error;
    if (!parse_precision_target(name, y.scalar(it->second, "precision.metrics." + name), t, error))
      y.fail(it->second, "precision.metrics." + error);
    t.loc = YamlReader::loc(it->second);
    spec.targets.push_back(t);
  }
  if (spec.targets.empty())
    y.fail(metrics,
           "precision.metrics: name at least one metric and its half-width, e.g. "
           "{missed_payment_rate: 0.1%}");
  if (const YAML::Node m = node["max_replications"]) {
    const long long v = y.parse(m, parse_integer, "precision.max_replications");
    if (v < 2 || v > 100000) y.fail(m, "precision.max_replications: expected 2 to 100000");
    spec.max_replications = static_cast<int>(v);
  }
  return spec;
}

}  // namespace faultline
