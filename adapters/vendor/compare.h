// Live vs simulated: `faultline compare LEDGER` (or `faultline vendor … --compare`) reads
// an emulator run's ledger and sets what was observed live beside what the simulator
// predicts for the same scenario:
// - delivered share of accepted SMS and the delivery latency p50/p95/p99 (acceptance to
//   handset), against `faultline run` of the scenario (the chosen strategy, its
//   replications): the simulator's mean with its confidence interval, and the 95 %
//   prediction interval for one run — mean ± t·sd·sqrt(N_sim/N_live + 1/R) — which is what
//   a single live run should fall in (the CI of the mean is the wrong yardstick for one
//   realisation; both are shown). A row agrees when the live value lies in the
//   prediction interval.
// - the loss in each fault window (share of messages accepted in it that never reached
//   a handset, plus API rejections), against a replay: the ledger's own traffic (times,
//   vendors, numbers) sent through the engine with the simulator's other replication
//   seeds, so the prediction is for exactly the traffic the live client sent.
// Quantiles on both sides are read the same way: from LatencyHistogram bins with
// log-linear interpolation inside the crossing bin.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/scenario/scenario.h"

namespace faultline::vendor {

// What a ledger holds, parsed.
struct LiveRun {
  std::string path;
  std::string scenario_file, scenario_sha256;
  std::uint64_t seed = 0, run_seed = 0;
  double time_scale = 1;
  double start_s = 0, stop_s = -1;  // simulated; stop = last time seen when no stop line
  struct Window {
    int index, fault, occurrence;
    std::string type, target;
    double start_s, end_s;
  };
  std::vector<Window> windows;
  struct Message {
    int vendor;
    std::string to;
    double submitted, delivered;  // delivered NaN when it never reached a handset
  };
  std::vector<Message> messages;
  struct Rejection {
    int vendor;
    double submitted;
  };
  std::vector<Rejection> rejections;
  std::size_t callbacks_ok = 0, callbacks_failed = 0;
  std::vector<double> callback_lateness_ms;
  std::size_t bad_lines = 0;
};

// Throws std::runtime_error("PATH:LINE: reason") for a ledger without its start line.
LiveRun read_ledger(const std::string& path, const Scenario* scenario_for_vendor_names = nullptr);

struct CompareOptions {
  int replications = 0;  // 0 = the scenario's
  std::string strategy;  // "" = the first (reference)
  double confidence = 0.95;
  int jobs = 1;
};

struct CompareRow {
  std::string metric, unit;
  double live = 0;
  std::size_t live_n = 0;
  double sim_mean = 0, ci_low = 0, ci_high = 0, pi_low = 0, pi_high = 0;
  bool agrees = false;
};

struct WindowRow {
  LiveRun::Window window;
  std::size_t accepted = 0, rejected = 0;
  CompareRow loss;  // sim_* = the replay
};

struct Comparison {
  std::string scenario, ledger, strategy;
  int replications = 0;
  double confidence = 0.95;
  std::vector<CompareRow> rows;
  std::vector<WindowRow> windows;
  std::vector<std::string> notes;
  bool agrees() const;
};

// `simulated`: run_experiment of `scenario` (the caller writes its results.json too).
Comparison compare_live(const LiveRun& live, const Scenario& scenario, const CompareOptions& o,
                        const ExperimentResult& simulated);
// A quantile read from histogram bins, interpolated log-linearly inside the crossing bin
// (the same reading for live and simulated latencies).
double interpolated_quantile_s(const LatencyHistogram& h, double q);
std::string comparison_text(const Comparison& c);
nlohmann::ordered_json comparison_json(const Comparison& c);

}  // namespace faultline::vendor
