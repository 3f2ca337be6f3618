#include "sim/output/results_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "faultline/version.h"

namespace faultline {

namespace {
using Json = nlohmann::ordered_json;

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json estimate_json(const Estimate& e) {
  return Json{{"mean", number(e.mean)},     {"sd", number(e.sd)},         {"ci_low", number(e.low)},
              {"ci_high", number(e.high)},  {"half_width", number(e.half_width)}, {"n", e.n}};
}
// The CDF at each histogram edge, from the first non-empty bin to the first edge where it
// reaches 1: at most kBins points.
Json latency_cdf(const LatencyHistogram& h) {
  Json points = Json::array();
  if (h.count() == 0) return points;
  std::uint64_t seen = 0;
  for (int i = 0; i < LatencyHistogram::kBins - 1; ++i) {
    seen += h.at(i);
    if (seen == 0) continue;
    points.push_back({{"le_s", LatencyHistogram::upper_edge_s(i)},
                      {"p", static_cast<double>(seen) / static_cast<double>(h.count())}});
    if (seen == h.count()) break;
  }
  return points;
}

// Fault windows for the timeline: every fault with an `at` (and a `duration`).
Json faults_json(const Scenario& s) {
  Json out = Json::array();
  for (const PluginUse& f : s.faults) {
    Json params = Json::object();
    for (const auto& [name, value] : f.params.all()) params[name] = value.text;
    const auto& all = f.params.all();
    const SimTime start = all.count("at") ? f.params.time("at") : 0;
    const SimTime end = all.count("duration") ? start + f.params.time("duration") : s.horizon;
    out.push_back({{"type", f.type}, {"line", f.loc.line}, {"start_s", to_seconds(start)},
                   {"end_s", to_seconds(end)}, {"params", params}});
  }
  return out;
}

}  // namespace

std::string results_json(const Scenario& s, const Summary& summary, const std::string& reproduce) {
  Json j;
  j["schema"] = kResultsSchema;
  j["tool"] = {{"name", "faultline"}, {"version", kToolVersion}, {"git_revision", kGitRevision}};
  j["reproduce"] = reproduce;
  j["scenario"] = {{"name", s.name},
                   {"description", s.description},
                   {"file", s.file},
                   {"sha256", s.sha256},
                   {"horizon_s", to_seconds(s.horizon)},
                   {"borrowers", s.population.borrowers}};
  j["engine"] = "native";
  j["seed"] = s.seed;
  j["replications"] = summary.replications;
  j["confidence"] = summary.confidence;
  j["reference_strategy"] = s.strategies.front().name;
  Json metrics = Json::array();
  for (const auto& m : kMetrics)
    metrics.push_back({{"name", m.name}, {"unit", m.unit}, {"definition", m.definition}});
  j["metrics"] = metrics;
  Json strategies = Json::array();
  for (const StrategySummary& st : summary.strategies) {
    Json values = Json::object(), diffs = Json::object();
    for (const auto& m : kMetrics) {
      const auto i = static_cast<std::size_t>(m.id);
      values[std::string(m.name)] = estimate_json(st.metrics[i]);
      diffs[std::string(m.name)] = estimate_json(st.difference_to_reference[i]);
    }
    Json series = Json::object();
    for (int k = 0; k < kSeriesCount; ++k) series[std::string(kSeriesNames[static_cast<std::size_t>(k)])] = st.series_mean[static_cast<std::size_t>(k)];
    strategies.push_back({{"name", st.name},
                          {"mitigations", st.mitigations},
                          {"metrics", values},
                          {"difference_to_reference", diffs},
                          {"series", series},
                          {"delivery_latency_cdf", latency_cdf(st.delivery_latency)}});
  }
  j["series_bin_s"] = to_seconds(summary.series_bin);
  j["faults"] = faults_json(s);
  // A scenario without a sweep is one point with no parameters; a sweep adds points.
  j["sweep"] = nullptr;
  j["points"] = Json::array({{{"index", 0}, {"parameters", Json::object()}, {"strategies", strategies}}});
  return j.dump(2) + "\n";
}

std::string runs_jsonl(const Scenario& s, const ExperimentResult& result) {
  std::string out;
  for (const RunRecord& r : result.records) {
    Json line;
    line["strategy"] = s.strategies[static_cast<std::size_t>(r.strategy)].name;
    line["replication"] = r.replication;
    line["run_seed"] = r.run_seed;
    line["events"] = r.events;
    Json m = Json::object();
    for (const auto& info : kMetrics) m[std::string(info.name)] = number(r.metrics[static_cast<std::size_t>(info.id)]);
    line["metrics"] = m;
    out += line.dump() + "\n";
  }
  return out;
}

}  // namespace faultline
