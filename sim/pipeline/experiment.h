// The one pipeline from a scenario to judged results: `faultline validate`, `run` and
// `check` use it, and so do the Python package and sharded runs. An Experiment is built
// from a scenario and typed options and validates everything once, before any
// replication runs — the scenario, the options against it, every sweep point's plug-ins,
// every expectation's point, the baseline file — so all three commands accept and refuse
// exactly the same inputs. It expands the sweep once, enumerates its work units (point ×
// replication, with the seeds they always use, in a stable order: any subset can run
// anywhere and merges back into the same result), runs the one replication loop
// (sequential precision and `inconclusive: extend` both only ask that loop for more
// replications), and judges the typed Summary. Its reproduce command is generated from
// the typed options and gives the same results.json byte for byte.
//
// An Experiment holds no global state and is immutable once built: two of them may run
// at once in two threads, and run() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/check/baseline.h"
#include "sim/check/evaluate.h"
#include "sim/experiment/runner.h"
#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sweep_grid.h"

namespace faultline {

// What a user may set besides the scenario file: `faultline run`'s flags, Python's
// keyword arguments. Typed, never strings; validated by Experiment.
struct ExperimentOptions {
  // These change the numbers, so the reproduce command carries them.
  std::optional<std::uint64_t> seed;
  std::optional<int> replications;  // with precision targets: the first round
  std::optional<EngineKind> engine;
  std::vector<PrecisionTarget> until_ci_halfwidth;  // replaces the scenario's targets
  std::optional<int> max_replications;              // of sequential sampling
  std::optional<int> only_replication;              // reproduce one replication's records
  // A results.json or a folder of <scenario>/results.json, for `delta` expectations (it
  // changes the numbers only through `inconclusive: extend` on a delta).
  std::optional<std::string> baseline;
  bool strict = false;  // an INCONCLUSIVE verdict fails (exit 1)
  // How it runs; never a number.
  int jobs = 1;
  bool engine_log = false;  // the SimGrid engine's log (`--verbose`)
};

// A bad option, for the option named (without dashes, e.g. "replications"); what() reads
// "--replications must be 1 to 100000". Bad input: exit code 2.
struct OptionError : std::invalid_argument {
  OptionError(const std::string& option_name, const std::string& message)
      : std::invalid_argument("--" + option_name + " " + message), option(option_name) {}
  std::string option;
};

// Progress and cancellation of Experiment::run. Callbacks come from worker threads, never
// two at once; nothing they do reaches the results.
struct RunHooks {
  // Every finished run (a strategy of a unit): runs done so far and runs planned so far
  // (the plan grows when a round adds replications).
  std::function<void(std::size_t done, std::size_t planned)> on_progress;
  // Before each round after the first: the replications reached, the next target and why.
  std::function<void(int done, int next, const std::string& why)> on_round;
  // Set to true to stop between runs; run() then throws Cancelled and produces nothing.
  const std::atomic<bool>* cancel = nullptr;
};

// An experiment's outcome: the records (canonical order), their typed Summary, the
// verdicts on it, and the reproduce command. Serialised by sim/output (results_json,
// runs_jsonl, results_csv), rendered by reports/.
struct Results {
  ExperimentResult experiment;
  Summary summary;
  Evaluation evaluation;
  std::vector<int> rounds;  // replications reached after each round: {20} or {4, 8}
  std::string reproduce;
  bool failed() const { return evaluation.failed(); }
};

class Experiment {
 public:
  // Parses the file and validates; throws ScenarioError (file:line:col, or the path of a
  // bad baseline) or OptionError.
  static Experiment from_file(const std::string& path, ExperimentOptions options = {});
  // A scenario already parsed (e.g. from Python); validated the same way.
  Experiment(Scenario scenario, ExperimentOptions options = {});

  const Scenario& scenario() const { return scenario_; }  // the options applied
  const ExperimentOptions& options() const { return options_; }
  std::span<const SweepPoint> points() const { return points_; }
  const Baseline& baseline() const { return baseline_; }
  // "faultline run FILE --seed S --replications N ...": the options that change numbers.
  const std::string& reproduce() const { return reproduce_; }

  // The replications of the first round: `replications`, or 1 for only_replication.
  int first_round() const;
  // The units of replications [first, end) at every point, in the canonical order;
  // first_units() those of the first round (only_replication: just that one).
  std::vector<WorkUnit> units(int first, int end) const;
  std::vector<WorkUnit> first_units() const;
  std::size_t runs_per_unit() const { return scenario_.strategies.size(); }

  // Runs some units (on options().jobs threads); results in the order given.
  std::vector<UnitResult> run_units(std::span<const WorkUnit> units, const RunHooks& hooks = {},
                                    std::size_t planned_runs = 0) const;
  // Summarises and judges complete records — every point with the same replications
  // 0..n-1 (or only_replication) — with the rounds that produced them.
  Results judge(ExperimentResult records, std::vector<int> rounds) const;
  // The one replication loop's rule: the replications the next round should reach (for
  // unmet precision targets or `inconclusive: extend`), or 0 to stop, with why.
  int next_round(const Results& so_far, std::string* why = nullptr) const;

  // The whole pipeline: rounds of units until next_round() says stop.
  Results run(const RunHooks& hooks = {}) const;

  // Runs one round's units somewhere and returns their results in any order; planned_runs
  // (all rounds so far) is for progress. run() uses run_units on this process's threads;
  // an MPI job spreads a round over its ranks, and `faultline merge` looks the units up
  // in shard files (sim/scaleout/) — the loop above them stays this one.
  using UnitExecutor = std::function<std::vector<UnitResult>(std::span<const WorkUnit> units,
                                                             std::size_t planned_runs)>;
  Results run(const UnitExecutor& execute, const RunHooks& hooks = {}) const;

 private:
  void validate_options();
  void validate_points();

  Scenario scenario_;
  ExperimentOptions options_;
  std::vector<SweepPoint> points_;
  Baseline baseline_;
  std::string reproduce_;
};

// The reproduce command of a scenario run with `options` (which change numbers only).
std::string reproduce_command(const Scenario& scenario, const ExperimentOptions& options,
                              bool with_baseline);

}  // namespace faultline
