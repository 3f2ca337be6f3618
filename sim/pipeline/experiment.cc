#include "sim/pipeline/experiment.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "sim/experiment/sequential.h"
#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/model/world.h"
#include "sim/scenario/network_parser.h"

namespace faultline {

namespace {

constexpr int kMaxReplications = 100000;

// A word the shell reads as itself; anything else is single-quoted.
std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_./:=,%+@-").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string targets_text(const std::vector<PrecisionTarget>& targets) {
  std::string out;
  for (const PrecisionTarget& t : targets)
    out += (out.empty() ? "" : ",") + t.metric + "=" + t.as_written;
  return out;
}

bool extends_on_baseline(const Scenario& s) {
  return std::any_of(s.expectations.begin(), s.expectations.end(), [](const Expectation& e) {
    return e.against != Against::kValue && e.inconclusive == InconclusivePolicy::kExtend;
  });
}

}  // namespace

std::string reproduce_command(const Scenario& s, const ExperimentOptions& o, bool with_baseline) {
  std::string out = "faultline run " + shell_word(s.file);
  if (o.engine) out += " --engine " + std::string(to_string(*o.engine));
  out += " --seed " + std::to_string(s.seed) + " --replications " + std::to_string(s.replications);
  if (!o.until_ci_halfwidth.empty())
    out += " --until-ci-halfwidth " + shell_word(targets_text(o.until_ci_halfwidth));
  if (o.max_replications) out += " --max-replications " + std::to_string(*o.max_replications);
  if (o.only_replication) out += " --only-replication " + std::to_string(*o.only_replication);
  if (with_baseline && o.baseline) out += " --baseline " + shell_word(*o.baseline);
  return out;
}

Experiment Experiment::from_file(const std::string& path, ExperimentOptions options) {
  return Experiment(load_scenario(path), std::move(options));
}

Experiment::Experiment(Scenario scenario, ExperimentOptions options)
    : scenario_(std::move(scenario)), options_(std::move(options)) {
  validate_options();
  points_ = expand_sweep(scenario_, builtin_catalogues());  // the one expansion
  validate_points();
  if (options_.baseline)
    baseline_ = load_baseline(*options_.baseline, scenario_.name);
  else
    baseline_.missing_reason = "no --baseline given";
  reproduce_ = reproduce_command(scenario_, options_, extends_on_baseline(scenario_));
}

void Experiment::validate_options() {
  Scenario& s = scenario_;
  const ExperimentOptions& o = options_;
  if (o.jobs < 1) throw OptionError("jobs", "must be at least 1");
  if (o.seed) s.seed = *o.seed;
  if (o.replications) {
    if (*o.replications < 1 || *o.replications > kMaxReplications)
      throw OptionError("replications", "must be 1 to 100000");
    s.replications = *o.replications;
  }
  if (o.engine) {
    s.engine = *o.engine;
    validate_engine(s, s.file);  // e.g. link_outage with --engine native
    if (s.engine == EngineKind::kSimgrid && s.population.cycles > 1)
      throw OptionError("engine",
                        "simgrid runs one cycle: population.cycles needs the native engine");
  }
  if (!o.until_ci_halfwidth.empty()) {
    for (std::size_t i = 0; i < o.until_ci_halfwidth.size(); ++i) {
      const PrecisionTarget& t = o.until_ci_halfwidth[i];
      if (!find_metric(t.metric))
        throw OptionError("until-ci-halfwidth", "names an unknown metric '" + t.metric +
                                                    "'; see `faultline list metrics`");
      if (!(t.half_width > 0))
        throw OptionError("until-ci-halfwidth", t.metric + ": the half-width must be above zero");
      for (std::size_t j = 0; j < i; ++j)
        if (o.until_ci_halfwidth[j].metric == t.metric)
          throw OptionError("until-ci-halfwidth", "names '" + t.metric + "' twice");
    }
    s.precision.targets = o.until_ci_halfwidth;
  }
  if (o.max_replications) {
    if (*o.max_replications < 2 || *o.max_replications > kMaxReplications)
      throw OptionError("max-replications", "must be 2 to 100000");
    if (!s.precision.enabled())
      throw OptionError("max-replications",
                        "needs precision targets (--until-ci-halfwidth or precision:)");
    s.precision.max_replications = *o.max_replications;
  }
  if (s.precision.enabled()) {
    // Sequential sampling judges an interval after its first round: that needs two.
    if (s.replications < 2) {
      if (o.replications)
        throw OptionError("replications",
                          "must be at least 2 with precision targets (the first round needs an "
                          "interval)");
      if (!o.until_ci_halfwidth.empty())
        throw OptionError("until-ci-halfwidth",
                          "needs at least 2 replications to start with (the scenario has " +
                              std::to_string(s.replications) + "); add --replications 2 or more");
      throw ScenarioError(s.file, s.precision.loc,
                          "precision: sequential sampling starts from `replications` (" +
                              std::to_string(s.replications) +
                              "), and its first round needs at least 2 for an interval; set "
                              "replications: 2 or more");
    }
    if (s.precision.max_replications < s.replications) {
      const std::string msg = "max_replications (" + std::to_string(s.precision.max_replications) +
                              ") is below the replications to start with (" +
                              std::to_string(s.replications) + ")";
      if (o.max_replications) throw OptionError("max-replications", "is too low: " + msg);
      if (o.replications) throw OptionError("replications", "is too high: " + msg);
      throw ScenarioError(s.file, s.precision.loc,
                          "precision: " + msg + "; raise max_replications or lower replications");
    }
  }
  if (o.only_replication) {
    // Sequential sampling may reach max_replications, so any replication below it exists.
    const int limit = s.precision.enabled() ? s.precision.max_replications : s.replications;
    if (*o.only_replication < 0 || *o.only_replication >= limit)
      throw OptionError("only-replication", "must be in [0, " + std::to_string(limit) + ")");
  }
}

void Experiment::validate_points() {
  // A sweep may move a plug-in's parameters out of what its configuration accepts.
  if (scenario_.sweep.enabled())
    for (const SweepPoint& p : points_) {
      try {
        check_plugins(p.scenario);
      } catch (const ScenarioError& e) {
        throw ScenarioError(scenario_.file, e.loc(),
                            "sweep point " + std::to_string(p.index) + ": " + e.message());
      }
    }
  for (const Expectation& e : scenario_.expectations)
    if (e.point && (*e.point < 0 || *e.point >= static_cast<int>(points_.size())))
      throw ScenarioError(scenario_.file, e.loc,
                          "expect: point " + std::to_string(*e.point) +
                              " does not exist; the run has " + std::to_string(points_.size()) +
                              " point(s), 0 to " + std::to_string(points_.size() - 1));
}

int Experiment::first_round() const {
  return options_.only_replication ? 1 : scenario_.replications;
}

std::vector<WorkUnit> Experiment::units(int first, int end) const {
  return work_units(points_, first, end);
}

std::vector<WorkUnit> Experiment::first_units() const {
  if (options_.only_replication)
    return units(*options_.only_replication, *options_.only_replication + 1);
  return units(0, scenario_.replications);
}

std::vector<UnitResult> Experiment::run_units(std::span<const WorkUnit> units,
                                              const RunHooks& hooks,
                                              std::size_t planned_runs) const {
  RunControl control;
  control.jobs = options_.jobs;
  control.engine_log = options_.engine_log;
  control.cancel = hooks.cancel;
  const std::size_t planned = std::max(planned_runs, units.size() * runs_per_unit());
  const std::size_t before = planned - units.size() * runs_per_unit();
  if (hooks.on_progress)
    control.on_run_done = [&](std::size_t done) { hooks.on_progress(before + done, planned); };
  return faultline::run_units(points_, units, control);
}

Results Experiment::judge(ExperimentResult records, std::vector<int> rounds) const {
  Results r;
  r.experiment = std::move(records);
  const PrecisionSpec& spec = scenario_.precision;
  if (spec.enabled() && !options_.only_replication) {
    PrecisionOutcome& p = r.experiment.precision;
    p = {};
    p.enabled = true;
    p.max_replications = spec.max_replications;
    p.rounds = rounds;
    p.replications = rounds.empty() ? 0 : rounds.back();
    p.targets = check_precision(points_, r.experiment, spec.targets, scenario_.confidence);
    p.met = std::all_of(p.targets.begin(), p.targets.end(), [](const auto& t) { return t.met; });
  }
  r.summary = summarise(points_, r.experiment);
  EvaluateOptions eval;
  eval.strict = options_.strict;
  if (baseline_.results) {
    eval.baseline = &*baseline_.results;
    eval.baseline_label = baseline_.label;
  } else {
    eval.no_baseline_reason = baseline_.missing_reason;
  }
  r.evaluation = evaluate(r.summary, scenario_.expectations, eval);
  r.rounds = std::move(rounds);
  r.reproduce = reproduce_;
  return r;
}

int Experiment::next_round(const Results& so_far, std::string* why) const {
  if (options_.only_replication || so_far.rounds.empty()) return 0;
  const int done = so_far.rounds.back();
  int next = 0;
  std::string reason;
  const PrecisionOutcome& p = so_far.experiment.precision;
  if (p.enabled && !p.met && done < p.max_replications) {
    next = next_replications(done, p.targets, p.max_replications);
    reason = "precision targets not met";
  }
  const int extend = extension_target(so_far.evaluation, done);
  if (extend > done) {
    int open = 0;
    for (const Outcome& o : so_far.evaluation.outcomes)
      open += o.kind == Outcome::Kind::kExpectation && o.verdict == Verdict::kInconclusive &&
              o.expectation.inconclusive == InconclusivePolicy::kExtend;
    const std::string mine =
        std::to_string(open) + " inconclusive expectation(s) with `inconclusive: extend`";
    reason = reason.empty() ? mine : reason + "; " + mine;
    next = std::max(next, extend);
  }
  if (why) *why = reason;
  return next > done ? next : 0;
}

Results Experiment::run(const RunHooks& hooks) const {
  return run([&](std::span<const WorkUnit> units,
                 std::size_t planned) { return run_units(units, hooks, planned); },
             hooks);
}

Results Experiment::run(const UnitExecutor& execute, const RunHooks& hooks) const {
  ExperimentResult all;
  std::vector<int> rounds;
  std::vector<WorkUnit> todo = first_units();
  int target = first_round();
  std::size_t planned = todo.size() * runs_per_unit();
  for (;;) {
    assemble(all, execute(todo, planned), points_.size());
    rounds.push_back(target);
    Results r = judge(std::move(all), rounds);
    std::string why;
    const int next = next_round(r, &why);
    if (next == 0) return r;
    if (hooks.on_round) hooks.on_round(target, next, why);
    all = std::move(r.experiment);
    todo = units(target, next);
    planned += todo.size() * runs_per_unit();
    target = next;
  }
}

}  // namespace faultline
