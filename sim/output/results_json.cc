#include "sim/output/results_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "faultline/version.h"
#include "sim/scenario/schedule.h"
#include "sim/scenario/units.h"

namespace faultline {

namespace {
using Json = nlohmann::ordered_json;

Json number(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

Json estimate_json(const Estimate& e) {
  return Json{{"mean", number(e.mean)},
              {"sd", number(e.sd)},
              {"ci_low", number(e.low)},
              {"ci_high", number(e.high)},
              {"half_width", number(e.half_width)},
              {"n", e.n}};
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

// One CDF per channel that delivered anything, keyed by the channel's name, in Channel
// order; a channel the scenario never used (or that delivered nothing) is absent.
Json latency_cdf_by_channel(const std::array<LatencyHistogram, kChannelCount>& by_channel) {
  Json out = Json::object();
  for (std::size_t ch = 0; ch < by_channel.size(); ++ch)
    if (by_channel[ch].count() > 0)
      out[std::string(kChannelNames[ch])] = latency_cdf(by_channel[ch]);
  return out;
}

// Fault windows for the timeline, from the one fault Schedule (sim/scenario/schedule.h):
// `start_s`/`end_s` the first occurrence as written, `windows` every occurrence, with
// onsets at `at` (a random onset is drawn per replication within `onset_spread_s`).
Json faults_json(const std::vector<PluginUse>& faults, SimTime horizon) {
  Json out = Json::array();
  const Schedule schedule = Schedule::nominal(faults, horizon);
  for (const ScheduledFault& f : schedule.faults()) {
    const PluginUse& use = faults[static_cast<std::size_t>(f.index)];
    Json params = Json::object();
    for (const auto& [name, value] : use.params.all()) params[name] = value.text;
    const SimTime end = f.spec.duration == kTimeNever ? horizon : f.spec.at + f.spec.duration;
    Json windows = Json::array();
    for (const Window& w : f.windows)
      windows.push_back({{"start_s", to_seconds(w.start)}, {"end_s", to_seconds(w.end)}});
    out.push_back({{"type", use.type},
                   {"line", use.loc.line},
                   {"start_s", to_seconds(f.spec.at)},
                   {"end_s", to_seconds(end)},
                   {"windows", windows},
                   {"onset_spread_s", to_seconds(f.spec.onset_spread)},
                   {"params", params}});
  }
  return out;
}

// A swept value as a number for plotting: durations and instants in seconds, "5%" as
// 0.05, rates per second, plain numbers as they are; null for words (a choice, a vendor).
Json numeric_value(const std::string& text) {
  if (const auto d = parse_duration(text); d.ok()) return to_seconds(d.value());
  if (const auto t = parse_time_point(text); t.ok()) return to_seconds(t.value());
  if (text.find('/') != std::string::npos)
    if (const auto r = parse_rate_per_s(text); r.ok()) return r.value();
  if (text.find('%') != std::string::npos)
    if (const auto p = parse_probability(text); p.ok()) return p.value();
  if (const auto n = parse_number(text); n.ok()) return number(n.value());
  return nullptr;
}

Json sweep_json(const SweepSpec& sweep) {
  if (!sweep.enabled()) return nullptr;
  Json axes = Json::array();
  for (const SweepAxis& a : sweep.axes) {
    Json numeric = Json::array();
    for (const auto& v : a.values) numeric.push_back(numeric_value(v));
    axes.push_back({{"path", a.path},
                    {"line", a.loc.line},
                    {"kind", a.is_range ? "range" : "list"},
                    {"values", a.values},
                    {"numeric_values", numeric}});
  }
  return {{"point_count", sweep.points()}, {"axes", axes}};
}

Json precision_json(const PrecisionOutcome& p) {
  if (!p.enabled) return nullptr;
  Json targets = Json::array();
  for (const TargetOutcome& t : p.targets)
    targets.push_back({{"metric", t.target.metric},
                       {"half_width", t.target.half_width},
                       {"as_written", t.target.as_written},
                       {"achieved_half_width", number(t.achieved)},
                       {"met", t.met}});
  return {{"met", p.met},
          {"replications", p.replications},
          {"max_replications", p.max_replications},
          {"rounds", p.rounds},
          {"targets", targets}};
}

}  // namespace

std::string results_json(const Scenario& s, const Summary& summary, const std::string& reproduce) {
  Json j;
  j["schema"] = kResultsSchema;
  j["tool"] = {{"name", "faultline"}, {"version", kToolVersion}, {"git_revision", kGitRevision}};
  j["reproduce"] = reproduce;
  j["scenario"] = {
      {"name", s.name},
      {"description", s.description},
      {"file", s.file},
      {"sha256", s.sha256},
      {"horizon_s", to_seconds(s.horizon)},
      {"borrowers", s.population.borrowers},
      // The file's exact bytes: the report shows it, `faultline report` re-reads its `expect:`.
      {"text", s.text}};
  j["engine"] = std::string(to_string(s.engine));
  j["seed"] = s.seed;
  j["replications"] = summary.replications;
  j["confidence"] = summary.confidence;
  j["reference_strategy"] = s.strategies.front().name;
  Json metrics = Json::array();
  for (const auto& m : kMetrics)
    metrics.push_back({{"name", m.name}, {"unit", m.unit}, {"definition", m.definition}});
  j["metrics"] = metrics;
  j["series_bin_s"] = to_seconds(summary.series_bin);
  j["faults"] = faults_json(s.faults, s.horizon);
  j["sweep"] = sweep_json(s.sweep);
  j["precision"] = precision_json(summary.precision);
  // A scenario without a sweep is one point with no parameters; a sweep adds points.
  Json points = Json::array();
  for (const PointSummary& point : summary.points) {
    Json parameters = Json::object(), parameter_values = Json::object();
    for (const auto& [path, value] : point.parameters) {
      parameters[path] = value;
      parameter_values[path] = numeric_value(value);
    }
    Json strategies = Json::array();
    for (const StrategySummary& st : point.strategies) {
      Json values = Json::object(), diffs = Json::object();
      for (const auto& m : kMetrics) {
        const auto i = static_cast<std::size_t>(m.id);
        values[std::string(m.name)] = estimate_json(st.metrics[i]);
        diffs[std::string(m.name)] = estimate_json(st.difference_to_reference[i]);
      }
      Json series = Json::object();
      for (int k = 0; k < kSeriesCount; ++k)
        series[std::string(kSeriesNames[static_cast<std::size_t>(k)])] =
            st.series_mean[static_cast<std::size_t>(k)];
      strategies.push_back(
          {{"name", st.name},
           {"mitigations", st.mitigations},
           {"metrics", values},
           {"difference_to_reference", diffs},
           {"series", series},
           {"delivery_latency_cdf", latency_cdf(st.delivery_latency)},
           {"delivery_latency_cdf_by_channel", latency_cdf_by_channel(st.channel_latency)}});
    }
    points.push_back({{"index", point.index},
                      {"parameters", parameters},
                      {"parameter_values", parameter_values},
                      {"faults", faults_json(point.faults, s.horizon)},
                      {"strategies", strategies}});
  }
  j["points"] = points;
  return j.dump(2) + "\n";
}

std::string runs_jsonl(const Scenario& s, const ExperimentResult& result) {
  std::string out;
  for (const RunRecord& r : result.records) {
    Json line;
    line["point"] = r.point;
    line["strategy"] = s.strategies[static_cast<std::size_t>(r.strategy)].name;
    line["replication"] = r.replication;
    line["run_seed"] = r.run_seed;
    line["events"] = r.events;
    Json m = Json::object();
    for (const auto& info : kMetrics)
      m[std::string(info.name)] = number(r.metrics[static_cast<std::size_t>(info.id)]);
    line["metrics"] = m;
    out += line.dump() + "\n";
  }
  return out;
}

}  // namespace faultline
