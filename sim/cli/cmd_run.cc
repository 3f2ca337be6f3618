// `faultline run`: one experiment through the pipeline (sim/pipeline/experiment.h) —
// validate everything, check the output paths, run every sweep point × strategy ×
// replication (in rounds while precision targets or `inconclusive: extend` ask for
// more), then write results.json, runs.jsonl, results.csv (and --report's HTML) as one
// set, print the summary table and the verdicts (stdout), show progress (stderr) and,
// with --profile, where the time and memory went (stderr and profile.json).
#include <sys/resource.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "reports/report.h"
#include "sim/check/baseline.h"
#include "sim/cli/commands.h"
#include "sim/cli/experiment_cli.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/options.h"
#include "sim/cli/progress.h"
#include "sim/cli/seed_option.h"
#include "sim/cli/table.h"
#include "sim/cli/terminal.h"
#include "sim/cli/verdict_output.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"
#include "sim/pipeline/experiment.h"
#include "sim/pipeline/resources.h"
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
ExperimentOptions experiment_options(const po::variables_map& vm) {
  ExperimentOptions o;
  o.jobs = vm["jobs"].as<int>();
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

}  // namespace

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
      "worker threads; results do not depend on it")(
      "out,o", po::value<std::string>(), "output folder (default: out/<scenario name>)")(
      "profile", "print events, events/s, time per phase and peak memory; write profile.json")(
      "engine", po::value<std::string>(),
      "native or simgrid (default: the scenario's `engine`, else native; docs/engines.md)")(
      "verbose", "show the SimGrid engine's log messages (quiet by default)")(
      "report", po::value<std::string>(), "also write the HTML report to FILE (docs/report.md)")(
      "baseline", po::value<std::string>(),
      "an older results.json (or a folder of <scenario>/results.json) for `delta` expectations")(
      "strict", "an INCONCLUSIVE verdict (expectation or precision target) fails the run (exit 1)")(
      "force",
      "run even when the resource estimate exceeds the machine's memory or "
      "limits.max_events (docs/reliability.md)")(
      "dry-run",
      "validate the scenario, the options, the baseline and the output paths, print the plan "
      "and the reproduce command, run nothing");
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
                 "point × strategy × metric) to the output folder.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  // Everything is validated here, once, the same way validate and check do it.
  const Experiment experiment = Experiment::from_file(files[0], experiment_options(vm));
  const Scenario& s = experiment.scenario();
  const std::filesystem::path out_dir =
      vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                      : std::filesystem::path("out") / output_folder_name(s.name);
  // Every output path too, before the first replication.
  for (const char* name : {"results.json", "runs.jsonl", "results.csv"})
    check_writable(out_dir / name);
  if (vm.count("report")) check_writable(vm["report"].as<std::string>());
  if (vm.count("profile")) check_writable(out_dir / "profile.json");

  const Terminal term(vm);
  term.info() << plan_line(experiment);
  // Refused with the estimate, before the first run, rather than killed by the kernel.
  const ResourceEstimate cost = estimate_resources(experiment);
  term.info() << "faultline: estimate: " << describe(cost) << "\n";
  if (!cost.refusal.empty() && !vm.count("force"))
    throw ResourceError("refusing to run: " + cost.refusal + " (estimate: " + describe(cost) +
                        "; --force runs it anyway)");
  if (vm.count("dry-run")) {
    term.out() << s.name << ": ok; would write " << (out_dir / "results.json").string()
               << "\nreproduce: " << experiment.reproduce() << "\n";
    if (term.json())
      std::cout << nlohmann::ordered_json{{"scenario", s.name},
                                          {"file", files[0]},
                                          {"ok", true},
                                          {"results", (out_dir / "results.json").string()},
                                          {"reproduce", experiment.reproduce()}}
                       .dump(2)
                << "\n";
    return kExitOk;
  }
  Progress progress(term.info(), !term.quiet() && Progress::stderr_is_interactive());
  const auto t1 = Clock::now();
  Results results;
  RunHooks hooks = cli_hooks(progress, s.name);
  // What an interrupt reports: the runs completed so far (callbacks come from workers).
  auto done = std::make_shared<std::atomic<std::size_t>>(0);
  auto planned = std::make_shared<std::atomic<std::size_t>>(0);
  hooks.on_progress = [inner = hooks.on_progress, done, planned](std::size_t d, std::size_t p) {
    done->store(d), planned->store(p);
    if (inner) inner(d, p);
  };
  try {
    results = experiment.run(hooks);
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
  const auto t2 = Clock::now();
  const Summary& summary = results.summary;
  const std::string results_text = results_json(s, summary, results.reproduce);
  std::vector<std::pair<std::filesystem::path, std::string>> files_out = {
      {out_dir / "results.json", results_text},
      {out_dir / "runs.jsonl", runs_jsonl(s, results.experiment)},
      {out_dir / "results.csv", results_csv(s, summary)}};
  if (vm.count("report")) {
    // Rendered from the results.json document, like `faultline report` (same page).
    const report::ReportOptions report_options{&results.evaluation, ""};
    files_out.emplace_back(
        vm["report"].as<std::string>(),
        report::render_report(nlohmann::json::parse(results_text), report_options));
  }
  const auto t3 = Clock::now();
  {
    const DeferInterrupts hold;  // the whole set, or (if killed) none of it
    write_files_atomically(files_out);
  }
  if (const int code = interrupt_exit_code()) {
    std::cerr << "faultline run: interrupted by " << interrupt_signal_name()
              << " while writing; the outputs were completed first: "
              << (out_dir / "results.json").string() << "\n";
    return code;
  }
  const auto t4 = Clock::now();
  if (results.experiment.precision.enabled)
    term.info() << precision_line(results.experiment.precision);

  term.out() << summary_table(s, summary);
  term.out() << "results: " << (out_dir / "results.json").string() << "\n";
  term.out() << term.paint(verdict_table(files[0], results.evaluation, s.confidence));
  if (vm.count("report")) term.out() << "report: " << vm["report"].as<std::string>() << "\n";
  const int code = results.failed() ? kExitExpectationsFailed : kExitOk;
  if (term.json()) {
    nlohmann::ordered_json j =
        scenario_summary_json(nlohmann::json::parse(results_text), files[0],
                              (out_dir / "results.json").string(), results.evaluation);
    j["report"] = vm.count("report") ? nlohmann::json(vm["report"].as<std::string>()) : nullptr;
    j["exit_code"] = code;
    std::cout << j.dump(2) << "\n";
  }
  if (vm.count("profile")) {
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const double sim_s = secs(t1, t2);
    const ExperimentResult& result = results.experiment;
    nlohmann::ordered_json p;
    p["events"] = result.events;
    p["events_per_s"] = sim_s > 0 ? static_cast<double>(result.events) / sim_s : 0.0;
    p["jobs"] = experiment.options().jobs;
    p["phases_s"] = {{"load", secs(t0, t1)},
                     {"simulate", sim_s},
                     {"aggregate", secs(t2, t3)},
                     {"write", secs(t3, t4)}};
    p["peak_rss_mib"] = peak_rss_mib();
    p["population_bytes_per_borrower"] = static_cast<double>(result.peak_population_bytes) /
                                         std::max<std::uint32_t>(1, s.population.borrowers);
    std::cerr << "profile: " << p.dump() << "\n";
    // Kept apart from results.json, which must stay byte-identical between runs.
    write_file_atomically(out_dir / "profile.json", p.dump(2) + "\n");
  }
  return code;
}

}  // namespace faultline::cli
