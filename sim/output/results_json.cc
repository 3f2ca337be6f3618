#include "sim/output/results_json.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

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
              {"ci_low", number(e.ci_low)},
              {"ci_high", number(e.ci_high)},
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
                       {"line", t.target.loc.line > 0 ? Json(t.target.loc.line) : Json(nullptr)},
                       {"achieved_half_width", number(t.achieved)},
                       {"met", t.met}});
  return {{"met", p.met},
          {"replications", p.replications},
          {"max_replications", p.max_replications},
          {"rounds", p.rounds},
          {"targets", targets}};
}

// population.cycles > 1: one entry per cycle, the cycle metrics by name (kCycleMetrics).
Json cycles_json(const StrategySummary& st) {
  Json out = Json::array();
  for (std::size_t k = 0; k < st.cycle_metrics.size(); ++k) {
    Json values = Json::object(), diffs = Json::object();
    for (std::size_t m = 0; m < kCycleMetricCount; ++m) {
      const std::string name(kMetrics[static_cast<std::size_t>(kCycleMetrics[m])].name);
      values[name] = estimate_json(st.cycle_metrics[k][m]);
      diffs[name] = estimate_json(st.cycle_difference_to_reference[k][m]);
    }
    out.push_back({{"cycle", k + 1}, {"metrics", values}, {"difference_to_reference", diffs}});
  }
  return out;
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
      Json strategy = {
          {"name", st.name},
          {"mitigations", st.mitigations},
          {"metrics", values},
          {"difference_to_reference", diffs},
          {"series", series},
          {"delivery_latency_cdf", latency_cdf(st.delivery_latency)},
          {"delivery_latency_cdf_by_channel", latency_cdf_by_channel(st.channel_latency)}};
      if (!st.cycle_metrics.empty()) strategy["cycles"] = cycles_json(st);
      strategies.push_back(std::move(strategy));
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
    if (!r.cycle_metrics.empty()) {
      Json cycles = Json::array();
      for (const CycleMetricValues& values : r.cycle_metrics) {
        Json one = Json::object();
        for (std::size_t i = 0; i < kCycleMetricCount; ++i)
          one[std::string(kMetrics[static_cast<std::size_t>(kCycleMetrics[i])].name)] =
              number(values[i]);
        cycles.push_back(one);
      }
      line["cycle_metrics"] = cycles;
    }
    out += line.dump() + "\n";
  }
  return out;
}

namespace {

using In = nlohmann::json;

double read_number(const In& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>()
                                          : std::numeric_limits<double>::quiet_NaN();
}

Estimate read_estimate(const In& j) {
  Estimate e;
  e.n = j.value("n", std::size_t{0});
  e.mean = read_number(j, "mean");
  e.sd = read_number(j, "sd");
  e.half_width = read_number(j, "half_width");
  e.ci_low = read_number(j, "ci_low");
  e.ci_high = read_number(j, "ci_high");
  return e;
}

// The metrics of an object keyed by metric name, in Metric order; absent ones are n = 0.
std::vector<Estimate> read_estimates(const In& by_name) {
  std::vector<Estimate> out(kMetricCount, Estimate{0, std::numeric_limits<double>::quiet_NaN()});
  for (const auto& m : kMetrics)
    if (const auto it = by_name.find(std::string(m.name)); it != by_name.end() && it->is_object())
      out[static_cast<std::size_t>(m.id)] = read_estimate(*it);
  return out;
}

PrecisionOutcome read_precision(const In& p) {
  PrecisionOutcome out;
  if (!p.is_object()) return out;
  out.enabled = true;
  out.met = p.value("met", false);
  out.replications = p.value("replications", 0);
  out.max_replications = p.value("max_replications", 0);
  out.rounds = p.value("rounds", std::vector<int>{});
  for (const In& t : p.value("targets", In::array())) {
    TargetOutcome o;
    o.target.metric = t.value("metric", "");
    o.target.half_width = read_number(t, "half_width");
    o.target.as_written = t.value("as_written", "");
    if (const auto line = t.find("line"); line != t.end() && line->is_number_integer())
      o.target.loc.line = line->get<int>();
    o.achieved = read_number(t, "achieved_half_width");
    o.met = t.value("met", false);
    out.targets.push_back(o);
  }
  return out;
}

void read_runs(const std::string& text, Summary& summary) {
  std::size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view row(text.data() + start, end - start);
    start = end + 1;
    if (row.empty()) continue;
    const auto bad = [&](const std::string& why) {
      return std::invalid_argument("runs.jsonl line " + std::to_string(line) + ": " + why);
    };
    In j;
    try {
      j = In::parse(row);
    } catch (const In::exception& e) {
      throw bad(std::string("not valid JSON: ") + e.what());
    }
    if (!j.is_object() || !j.contains("metrics"))
      throw bad("expected an object with point, strategy, replication, run_seed and metrics");
    const int point = j.value("point", -1);
    const std::string strategy = j.value("strategy", "");
    PointSummary* p = nullptr;
    for (PointSummary& candidate : summary.points)
      if (candidate.index == point) p = &candidate;
    StrategySummary* st = nullptr;
    if (p)
      for (StrategySummary& candidate : p->strategies)
        if (candidate.name == strategy) st = &candidate;
    if (!st)
      throw bad("point " + std::to_string(point) + ", strategy '" + strategy +
                "' is not in results.json");
    ReplicationValues v;
    v.replication = j.value("replication", -1);
    v.run_seed = j.value("run_seed", std::uint64_t{0});
    v.metrics.fill(std::numeric_limits<double>::quiet_NaN());
    const In& metrics = j["metrics"];
    for (const auto& m : kMetrics)
      if (const auto it = metrics.find(std::string(m.name)); it != metrics.end() && it->is_number())
        v.metrics[static_cast<std::size_t>(m.id)] = it->get<double>();
    if (const auto it = j.find("cycle_metrics"); it != j.end()) {
      if (!it->is_array() || it->size() > kMaxCycles)
        throw bad("cycle_metrics is not a list of at most " + std::to_string(kMaxCycles) +
                  " objects");
      for (const In& one : *it) {
        if (!one.is_object()) throw bad("a cycle of cycle_metrics is not an object");
        CycleMetricValues values;
        values.fill(std::numeric_limits<double>::quiet_NaN());
        for (std::size_t i = 0; i < kCycleMetricCount; ++i) {
          const std::string name(kMetrics[static_cast<std::size_t>(kCycleMetrics[i])].name);
          if (const auto c = one.find(name); c != one.end() && c->is_number())
            values[i] = c->get<double>();
        }
        v.cycle_metrics.push_back(values);
      }
    }
    st->runs.push_back(v);
  }
}

}  // namespace

Summary summary_from_results(const nlohmann::json& results, const std::string* runs_jsonl) {
  Summary out;
  try {
    out.seed = results.at("seed").get<std::uint64_t>();
    out.replications = results.at("replications").get<int>();
    out.confidence = results.at("confidence").get<double>();
    out.precision = read_precision(results.value("precision", In()));
    for (const In& point : results.at("points")) {
      PointSummary p;
      p.index = point.at("index").get<int>();
      // In key order (the document's reader sorts keys), not the sweep's axis order.
      const In parameters = point.value("parameters", In::object());
      for (const auto& [path, value] : parameters.items())
        p.parameters.emplace_back(path, value.get<std::string>());
      for (const In& strategy : point.at("strategies")) {
        StrategySummary st;
        st.name = strategy.at("name").get<std::string>();
        st.mitigations = strategy.value("mitigations", std::vector<std::string>{});
        st.metrics = read_estimates(strategy.at("metrics"));
        st.difference_to_reference =
            read_estimates(strategy.value("difference_to_reference", In::object()));
        for (const In& cycle : strategy.value("cycles", In::array())) {
          const std::vector<Estimate> all = read_estimates(cycle.at("metrics"));
          const std::vector<Estimate> all_diffs =
              read_estimates(cycle.value("difference_to_reference", In::object()));
          std::vector<Estimate> values, diffs;
          for (const Metric m : kCycleMetrics) {
            values.push_back(all[static_cast<std::size_t>(m)]);
            diffs.push_back(all_diffs[static_cast<std::size_t>(m)]);
          }
          st.cycle_metrics.push_back(std::move(values));
          st.cycle_difference_to_reference.push_back(std::move(diffs));
        }
        p.strategies.push_back(std::move(st));
      }
      out.points.push_back(std::move(p));
    }
  } catch (const In::exception& e) {
    throw std::invalid_argument(std::string("results.json lacks a field or has the wrong type: ") +
                                e.what());
  }
  if (runs_jsonl) read_runs(*runs_jsonl, out);
  return out;
}

}  // namespace faultline
