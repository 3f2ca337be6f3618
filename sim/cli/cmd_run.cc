// `faultline run`: one experiment through the pipeline (sim/pipeline/experiment.h) —
// validate everything, check the output paths, run every sweep point × strategy ×
// replication (in rounds while precision targets or `inconclusive: extend` ask for
// more), then write results.json, runs.jsonl, results.csv (and --report's HTML) as one
// set, print the summary table and the verdicts (stdout), show progress (stderr) and,
// with --profile, where the time and memory went (stderr and profile.json).
//
// With --shard K/N it runs only the K-th of N disjoint subsets of the units (of the wave
// a merge planned, with --wave) and writes a shard file for `faultline merge`; under
// `mpirun` the units are spread over the ranks (cmd_run_mpi.cc). docs/scale-out.md.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/check/baseline.h"
#include "sim/cli/commands.h"
#include "sim/cli/experiment_cli.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/options.h"
#include "sim/cli/progress.h"
#include "sim/cli/run_plan.h"
#include "sim/cli/seed_option.h"
#include "sim/cli/terminal.h"
#include "sim/output/atomic_file.h"
#include "sim/pipeline/resources.h"
#include "sim/scaleout/wave_plan.h"
#include "sim/scenario/network_parser.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// The flags that set ExperimentOptions, typed.
ExperimentOptions experiment_options(const po::variables_map& vm, const MpiLaunch& mpi) {
  ExperimentOptions o;
  o.jobs = vm["jobs"].as<int>();
  if (mpi.launched && vm["jobs"].defaulted()) {
    // A rank's share of its host: one thread when mpirun binds it to a core.
    const int host_cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    o.jobs = std::max(1, std::min(usable_cpus(), host_cpus / std::max(1, mpi.local_size)));
  }
  if (vm.count("seed")) o.seed = vm["seed"].as<SeedArg>().value;
  if (vm.count("replications")) o.replications = vm["replications"].as<int>();
  if (vm.count("engine")) {
    const Parsed<EngineKind> engine = parse_engine_name(vm["engine"].as<std::string>());
    if (!engine.ok()) throw UsageError("--engine " + engine.error());
    o.engine = engine.value();
  }
  if (vm.count("until-ci-halfwidth")) {
    try {
      o.until_ci_halfwidth = parse_precision_targets(vm["until-ci-halfwidth"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--until-ci-halfwidth: ") + e.what());
    }
  }
  if (vm.count("max-replications")) o.max_replications = vm["max-replications"].as<int>();
  if (vm.count("only-replication")) o.only_replication = vm["only-replication"].as<int>();
  if (vm.count("baseline")) o.baseline = vm["baseline"].as<std::string>();
  o.strict = vm.count("strict") > 0;
  o.engine_log = vm.count("verbose") > 0;
  return o;
}

// Flags that do not go with --shard (those of the merge), before anything is read.
void refuse_with_shard(const po::variables_map& vm) {
  if (vm.count("wave") && !vm.count("shard"))
    throw UsageError("--wave runs the next wave of shards; it needs --shard K/N or --shard auto");
  if (!vm.count("shard")) return;
  for (const char* merge_only : {"report", "baseline", "strict"})
    if (vm.count(merge_only))
      throw UsageError(std::string("--") + merge_only +
                       " does not apply to a shard, which writes a partial result: give it to "
                       "`faultline merge`");
  if (vm.count("only-replication"))
    throw UsageError(
        "--only-replication reruns one replication in one process; it does not "
        "combine with --shard");
}

// --shard and --wave: which shard, of which wave.
void prepare_shard(const po::variables_map& vm, RunPlan& plan) {
  if (!vm.count("shard")) return;
  const std::string text = vm["shard"].as<std::string>();
  try {
    plan.shard = text == "auto" ? shard_from_environment(std::getenv)
                                : ShardChoice{parse_shard(text), "--shard " + text};
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string(text == "auto" ? "" : "--shard ") + e.what());
  }
  const Experiment& e = *plan.experiment;
  plan.wave = Wave{1, {e.first_round()}};
  if (vm.count("wave")) {
    const std::string path = vm["wave"].as<std::string>();
    WavePlan next;
    try {
      next = read_wave_plan(path);
    } catch (const std::invalid_argument& ex) {
      throw OptionError("wave", ex.what());
    }
    const std::string why = study_difference(next.study, study_of(e));
    if (!why.empty())
      throw OptionError("wave", path + " plans a wave of another study: " + why +
                                    "; run the wave with the scenario and options of the first");
    plan.wave = next.wave;
  }
  plan.shard_file = plan.paths.out_dir / shard_file_name(plan.wave.number, plan.shard->id);
}

// This process's threads.
ExecutorFor here(const Experiment& e) {
  return [&e](const RunHooks& hooks) -> Experiment::UnitExecutor {
    return [&e, hooks](std::span<const WorkUnit> units, std::size_t planned) {
      return e.run_units(units, hooks, planned);
    };
  };
}

}  // namespace

RunPlan prepare_run(const po::variables_map& vm, const std::string& file, bool check_paths,
                    const MpiLaunch& mpi) {
  refuse_with_shard(vm);
  RunPlan plan;
  // Everything is validated here, once, the same way validate and check do it.
  const Experiment& e =
      plan.experiment.emplace(Experiment::from_file(file, experiment_options(vm, mpi)));
  const Scenario& s = e.scenario();
  const std::filesystem::path default_out =
      std::filesystem::path("out") / output_folder_name(s.name);
  plan.paths.out_dir = vm.count("out")     ? std::filesystem::path(vm["out"].as<std::string>())
                       : vm.count("shard") ? default_out / "shards"
                                           : default_out;
  if (vm.count("report")) plan.paths.report = vm["report"].as<std::string>();
  plan.profile = vm.count("profile") > 0;
  plan.dry_run = vm.count("dry-run") > 0;
  prepare_shard(vm, plan);
  plan.term.emplace(vm);
  // Every output path too, before the first replication.
  if (check_paths) {
    if (plan.shard)
      check_writable(plan.shard_file);
    else
      check_output_paths(plan.paths);
    if (plan.profile) check_writable(plan.paths.out_dir / "profile.json");
  }
  // Refused with the estimate, before the first run, rather than killed by the kernel.
  plan.estimate = admit_resources(e, vm.count("force") > 0);
  return plan;
}

int carry_out(const RunPlan& plan, const ExecutorFor& executor_for,
              const std::function<void()>& before_writing, int ranks) {
  const Experiment& experiment = *plan.experiment;
  const Scenario& s = experiment.scenario();
  const Terminal& term = *plan.term;
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  std::vector<WorkUnit> shard_units_todo;
  if (plan.shard) {
    const std::vector<WorkUnit> wave = experiment.units(plan.wave.first(), plan.wave.end());
    shard_units_todo = shard_units(wave, plan.shard->id);
    term.info() << "faultline: " << s.name << ": shard " << plan.shard->id.index << " of "
                << plan.shard->id.count << " (" << plan.shard->source << "), wave "
                << plan.wave.number << " (replications [" << plan.wave.first() << ", "
                << plan.wave.end() << ")): " << shard_units_todo.size() << " of " << wave.size()
                << " units × " << s.strategies.size() << " strategies, " << s.population.borrowers
                << " borrowers, " << experiment.options().jobs << " jobs"
                << (ranks > 1 ? " × " + std::to_string(ranks) + " ranks" : "") << "\n";
  } else {
    std::string line = plan_line(experiment);
    if (ranks > 1) line.insert(line.size() - 1, " × " + std::to_string(ranks) + " ranks");
    term.info() << line;
  }
  term.info() << "faultline: estimate: " << describe(plan.estimate) << "\n";
  const std::filesystem::path results_path =
      plan.shard ? plan.shard_file : plan.paths.out_dir / "results.json";
  if (plan.dry_run) {
    term.out() << s.name << ": ok; would write " << results_path.string()
               << "\nreproduce: " << experiment.reproduce() << "\n";
    if (term.json())
      std::cout << nlohmann::ordered_json{{"scenario", s.name},
                                          {"file", s.file},
                                          {"ok", true},
                                          {"results", results_path.string()},
                                          {"reproduce", experiment.reproduce()}}
                       .dump(2)
                << "\n";
    return kExitOk;
  }
  Progress progress(term.info(), !term.quiet() && Progress::stderr_is_interactive());
  RunHooks hooks = cli_hooks(progress, s.name);
  // What an interrupt reports: the runs completed so far (callbacks come from workers).
  auto done = std::make_shared<std::atomic<std::size_t>>(0);
  auto planned = std::make_shared<std::atomic<std::size_t>>(0);
  hooks.on_progress = [inner = hooks.on_progress, done, planned](std::size_t d, std::size_t p) {
    done->store(d), planned->store(p);
    if (inner) inner(d, p);
  };
  const Experiment::UnitExecutor execute = executor_for(hooks);
  const auto t1 = Clock::now();
  Results results;
  std::vector<UnitResult> shard_results;
  try {
    if (plan.shard)
      shard_results =
          execute(shard_units_todo, shard_units_todo.size() * experiment.runs_per_unit());
    else
      results = experiment.run(execute, hooks);
  } catch (const Cancelled&) {
    progress.finish();
    std::cerr << "faultline run: interrupted by " << interrupt_signal_name() << " after "
              << done->load() << " of " << planned->load()
              << " runs; nothing written (the outputs are written only once every run is "
                 "done)\nresume: runs are deterministic, so the same command starts again and "
                 "gives the same results: "
              << experiment.reproduce() << "\n";
    return interrupt_exit_code();
  }
  progress.finish();
  if (before_writing) before_writing();
  const auto t2 = Clock::now();
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  std::uint64_t events = 0;
  std::size_t population_bytes = 0;
  if (plan.shard) {
    // In the canonical order, whichever thread or rank finished first.
    std::sort(shard_results.begin(), shard_results.end(), [](const auto& a, const auto& b) {
      return std::pair(a.unit.point, a.unit.replication) <
             std::pair(b.unit.point, b.unit.replication);
    });
    for (const UnitResult& u : shard_results) {
      events += u.events;
      population_bytes = std::max(population_bytes, u.population_bytes);
    }
    const ShardHeader header = shard_header(experiment, plan.shard->id, plan.shard->source,
                                            plan.wave, shard_results.size());
    files.emplace_back(plan.shard_file, shard_file_text(header, shard_results));
  } else {
    events = results.experiment.events;
    population_bytes = results.experiment.peak_population_bytes;
    files = render_outputs(experiment, results, plan.paths);
  }
  const auto t3 = Clock::now();
  {
    const DeferInterrupts hold;  // the whole set, or (if killed) none of it
    write_files_atomically(files);
  }
  if (const int code = interrupt_exit_code()) {
    std::cerr << "faultline run: interrupted by " << interrupt_signal_name()
              << " while writing; the outputs were completed first: " << results_path.string()
              << "\n";
    return code;
  }
  const auto t4 = Clock::now();
  const int code = !plan.shard && results.failed() ? kExitExpectationsFailed : kExitOk;
  if (plan.shard) {
    term.out() << "shard: " << plan.shard_file.string() << " (" << shard_results.size()
               << " units)\nmerge the shards with: faultline merge " << plan.paths.out_dir.string()
               << " --out OUT\n";
  } else {
    if (results.experiment.precision.enabled)
      term.info() << precision_line(results.experiment.precision);
    print_outputs(experiment, results, plan.paths, term.out(), &term);
  }
  if (term.json()) {
    nlohmann::ordered_json j;
    if (plan.shard) {
      j = {{"scenario", s.name},
           {"file", s.file},
           {"shard", plan.shard_file.string()},
           {"units", shard_results.size()}};
    } else {
      j = scenario_summary_json(nlohmann::json::parse(files.front().second), s.file,
                                results_path.string(), results.evaluation);
      j["report"] = plan.paths.report ? nlohmann::json(*plan.paths.report) : nullptr;
    }
    j["exit_code"] = code;
    std::cout << j.dump(2) << "\n";
  }
  if (plan.profile) {
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const double sim_s = secs(t1, t2);
    nlohmann::ordered_json p;
    p["events"] = events;
    p["events_per_s"] = sim_s > 0 ? static_cast<double>(events) / sim_s : 0.0;
    p["jobs"] = experiment.options().jobs;
    p["ranks"] = ranks;
    p["phases_s"] = {{"load", secs(t0, t1)},
                     {"simulate", sim_s},
                     {"aggregate", secs(t2, t3)},
                     {"write", secs(t3, t4)}};
    p["peak_rss_mib"] = peak_rss_mib();
    p["population_bytes_per_borrower"] =
        static_cast<double>(population_bytes) / std::max<std::uint32_t>(1, s.population.borrowers);
    std::cerr << "profile: " << p.dump() << "\n";
    // Kept apart from results.json, which must stay byte-identical between runs.
    const std::filesystem::path profile_file =
        plan.shard ? std::filesystem::path(plan.shard_file.string() + ".profile.json")
                   : plan.paths.out_dir / "profile.json";
    write_file_atomically(profile_file, p.dump(2) + "\n");
  }
  return code;
}

boost::program_options::options_description run_options() {
  po::options_description opts("faultline run SCENARIO [options]");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("help,h", "show this help")("seed", po::value<SeedArg>(),
                                                 "base seed (default: the scenario's `seed`)")(
      "replications", po::value<int>(),
      "replications per strategy (default: the scenario's); with "
      "precision targets, the number to start with")(
      "until-ci-halfwidth", po::value<std::string>(),
      "METRIC=VALUE[,...]: add replications until each "
      "metric's CI half-width is at most VALUE for every strategy and sweep point (replaces "
      "the scenario's precision.metrics)")(
      "max-replications", po::value<int>(),
      "the most replications sequential sampling may run "
      "(default: the scenario's precision.max_replications, else 200)")(
      "only-replication", po::value<int>(),
      "run only replication K (0-based) — reproduces its record exactly")(
      "jobs,j", po::value<int>()->default_value(static_cast<int>(cores)),
      "worker threads (per MPI rank); results do not depend on it")(
      "out,o", po::value<std::string>(),
      "output folder (default: out/<scenario name>, with --shard out/<scenario name>/shards)")(
      "profile", "print events, events/s, time per phase and peak memory; write profile.json")(
      "engine", po::value<std::string>(),
      "native or simgrid (default: the scenario's `engine`, else native; docs/engines.md)")(
      "verbose", "show the SimGrid engine's log messages (quiet by default)")(
      "report", po::value<std::string>(), "also write the HTML report to FILE (docs/report.md)")(
      "baseline", po::value<std::string>(),
      "an older results.json (or a folder of <scenario>/results.json) for `delta` expectations")(
      "strict", "an INCONCLUSIVE verdict (expectation or precision target) fails the run (exit 1)")(
      "shard", po::value<std::string>(),
      "K/N: run only shard K of N of the work units and write a shard file to --out for "
      "`faultline merge`; auto: K and N from SLURM_ARRAY_TASK_ID/_COUNT, "
      "JOB_COMPLETION_INDEX + JOB_COMPLETIONS or CI_NODE_INDEX/_TOTAL (docs/scale-out.md)")(
      "wave", po::value<std::string>(),
      "with --shard: run the next wave a merge planned (its next-wave.json or output folder)")(
      "dry-run",
      "validate the scenario, the options, the baseline and the output paths, print the plan "
      "and the reproduce command, run nothing");
  add_force_option(opts);
  add_terminal_options(opts);
  return opts;
}

int run_command(const Args& args) {
  const po::options_description opts = run_options();
  const po::variables_map vm = parse_options(args, opts, "scenario");
  if (vm.count("help")) {
    std::cout << opts
              << "\nWrites results.json (summary), runs.jsonl (one line per run) and results.csv "
                 "(one row per\n"
                 "point × strategy × metric) to the output folder. Under mpirun the work is "
                 "spread over the ranks\n"
                 "and rank 0 writes the outputs (docs/scale-out.md).\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");

  const MpiLaunch launch = detect_mpi_launch(std::getenv);
  if (launch.launched) return run_under_mpi(vm, files[0], launch);
  const RunPlan plan = prepare_run(vm, files[0], true, launch);
  return carry_out(plan, here(*plan.experiment), {}, 1);
}

#ifndef FAULTLINE_HAVE_MPI
int run_under_mpi(const po::variables_map& vm, const std::string& file, const MpiLaunch& launch) {
  if (launch.world_size == 1) {
    // One process: nothing to spread; run as usual.
    const RunPlan plan = prepare_run(vm, file, true, MpiLaunch{});
    return carry_out(plan, here(*plan.experiment), {}, 1);
  }
  // Every rank would run the whole experiment over the same outputs: refuse, once.
  const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
  if (rank == nullptr) rank = std::getenv("PMIX_RANK");
  if (rank == nullptr || std::string(rank) == "0")
    std::cerr << "faultline run: started by an MPI launcher"
              << (launch.world_size > 1 ? " with " + std::to_string(launch.world_size) + " ranks"
                                        : std::string())
              << ", but this faultline was built without MPI; install Open MPI "
                 "(libopenmpi-dev openmpi-bin) and rebuild, or use --shard (docs/scale-out.md)\n";
  return kExitBadInput;
}
#endif

}  // namespace faultline::cli
