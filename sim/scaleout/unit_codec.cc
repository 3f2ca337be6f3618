#include "sim/scaleout/unit_codec.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace faultline {

namespace {

using Out = nlohmann::ordered_json;
using In = nlohmann::json;

Out number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

double read_number(const In& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  throw std::invalid_argument("a metric value is neither a number nor NaN/Infinity");
}

// The non-zero entries of a run of counts, as [index, count] pairs.
template <typename Counts>
Out sparse(const Counts& counts) {
  Out out = Out::array();
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] != 0) out.push_back({i, counts[i]});
  return out;
}

// Fills `counts` (all zero) from [index, count] pairs, strictly increasing indices.
template <typename Counts>
void read_sparse(const In& pairs, Counts& counts, const char* what) {
  std::size_t next = 0;
  for (const In& p : pairs) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number_unsigned() || !p[1].is_number_unsigned())
      throw std::invalid_argument(std::string(what) + ": expected [index, count] pairs");
    const auto i = p[0].get<std::size_t>();
    if (i < next || i >= counts.size())
      throw std::invalid_argument(std::string(what) + ": index " + std::to_string(i) +
                                  " out of order or beyond " + std::to_string(counts.size()));
    counts[i] = p[1].get<typename Counts::value_type>();
    next = i + 1;
  }
}

Out histogram(const LatencyHistogram& h) {
  std::array<std::uint64_t, LatencyHistogram::kBins> counts{};
  for (int i = 0; i < LatencyHistogram::kBins; ++i) counts[static_cast<std::size_t>(i)] = h.at(i);
  return sparse(counts);
}

LatencyHistogram read_histogram(const In& j) {
  std::array<std::uint64_t, LatencyHistogram::kBins> counts{};
  read_sparse(j, counts, "latency histogram");
  return LatencyHistogram::from_counts(counts);
}

Out run_json(const RunRecord& r) {
  Out metrics = Out::array();
  for (const double v : r.metrics) metrics.push_back(number(v));
  Out channels = Out::array();
  for (const LatencyHistogram& h : r.channel_latency) channels.push_back(histogram(h));
  Out run = {{"strategy", r.strategy},
             {"run_seed", r.run_seed},
             {"events", r.events},
             {"metrics", metrics},
             {"series",
              {{"bin_us", r.series.bin_width()},
               {"bins", r.series.bins()},
               {"counts", sparse(r.series.counts())}}},
             {"delivery_latency", histogram(r.delivery_latency)},
             {"channel_latency", channels}};
  // Only with population.cycles > 1, so one-cycle units encode as before.
  if (!r.cycle_metrics.empty()) {
    Out cycles = Out::array();
    for (const CycleMetricValues& values : r.cycle_metrics) {
      Out one = Out::array();
      for (const double v : values) one.push_back(number(v));
      cycles.push_back(one);
    }
    run["cycle_metrics"] = cycles;
  }
  return run;
}

RunRecord read_run(const In& j, const WorkUnit& unit) {
  RunRecord r;
  r.point = unit.point;
  r.replication = unit.replication;
  r.strategy = j.at("strategy").get<int>();
  r.run_seed = j.at("run_seed").get<std::uint64_t>();
  r.events = j.at("events").get<std::uint64_t>();
  const In& metrics = j.at("metrics");
  if (!metrics.is_array() || metrics.size() != r.metrics.size())
    throw std::invalid_argument("a run has " + std::to_string(metrics.size()) +
                                " metric values; this faultline has " +
                                std::to_string(r.metrics.size()));
  for (std::size_t m = 0; m < r.metrics.size(); ++m) r.metrics[m] = read_number(metrics[m]);
  const In& series = j.at("series");
  const auto bins = series.at("bins").get<std::size_t>();
  if (bins > TimeSeries::kMaxBins)
    throw std::invalid_argument("a time series has more than the most bins");
  std::vector<std::uint32_t> counts(bins * kSeriesCount, 0);
  read_sparse(series.at("counts"), counts, "time series");
  r.series = TimeSeries::from_counts(series.at("bin_us").get<SimTime>(), bins, std::move(counts));
  r.delivery_latency = read_histogram(j.at("delivery_latency"));
  const In& channels = j.at("channel_latency");
  if (!channels.is_array() || channels.size() != r.channel_latency.size())
    throw std::invalid_argument("a run has latency histograms for " +
                                std::to_string(channels.size()) + " channels; expected " +
                                std::to_string(r.channel_latency.size()));
  for (std::size_t c = 0; c < r.channel_latency.size(); ++c)
    r.channel_latency[c] = read_histogram(channels[c]);
  if (const auto it = j.find("cycle_metrics"); it != j.end()) {
    if (!it->is_array() || it->size() > kMaxCycles)
      throw std::invalid_argument("cycle_metrics is not an array of at most " +
                                  std::to_string(kMaxCycles) + " cycles");
    for (const In& one : *it) {
      CycleMetricValues values{};
      if (!one.is_array() || one.size() != values.size())
        throw std::invalid_argument("a cycle has " + std::to_string(one.size()) +
                                    " cycle metric values; this faultline has " +
                                    std::to_string(values.size()));
      for (std::size_t m = 0; m < values.size(); ++m) values[m] = read_number(one[m]);
      r.cycle_metrics.push_back(values);
    }
  }
  return r;
}

}  // namespace

std::string encode_unit(const UnitResult& u) {
  Out runs = Out::array();
  for (const RunRecord& r : u.runs) runs.push_back(run_json(r));
  const Out line = {{"point", u.unit.point},
                    {"replication", u.unit.replication},
                    {"run_seed", u.unit.run_seed},
                    {"events", u.events},
                    {"population_bytes", u.population_bytes},
                    {"runs", runs}};
  return line.dump();
}

UnitResult decode_unit(std::string_view line, const UnitShape& shape) {
  In j;
  try {
    j = In::parse(line);
  } catch (const In::exception& e) {
    throw std::invalid_argument(std::string("not valid JSON: ") + e.what());
  }
  UnitResult u;
  try {
    u.unit.point = j.at("point").get<int>();
    u.unit.replication = j.at("replication").get<int>();
    u.unit.run_seed = j.at("run_seed").get<std::uint64_t>();
    u.events = j.at("events").get<std::uint64_t>();
    u.population_bytes = j.at("population_bytes").get<std::size_t>();
    if (u.unit.point < 0 || static_cast<std::size_t>(u.unit.point) >= shape.points)
      throw std::invalid_argument("point " + std::to_string(u.unit.point) +
                                  " is not one of the experiment's " +
                                  std::to_string(shape.points));
    if (u.unit.replication < 0)
      throw std::invalid_argument("replication " + std::to_string(u.unit.replication));
    const In& runs = j.at("runs");
    if (!runs.is_array() || runs.size() != shape.strategies)
      throw std::invalid_argument("a unit has " + std::to_string(runs.size()) +
                                  " runs; the experiment has " + std::to_string(shape.strategies) +
                                  " strategies");
    for (std::size_t s = 0; s < runs.size(); ++s) {
      u.runs.push_back(read_run(runs[s], u.unit));
      if (u.runs.back().strategy != static_cast<int>(s))
        throw std::invalid_argument("the runs of a unit are not in strategy order");
    }
  } catch (const In::exception& e) {
    throw std::invalid_argument(std::string("a field is missing or of the wrong type: ") +
                                e.what());
  }
  return u;
}

}  // namespace faultline
