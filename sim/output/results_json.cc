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
    strategies.push_back({{"name", st.name},
                          {"mitigations", st.mitigations},
                          {"metrics", values},
                          {"difference_to_reference", diffs}});
  }
  j["strategies"] = strategies;
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
