// `faultline run`: parse, simulate every sweep point × strategy × replication (in rounds
// until the precision targets are met, with sequential sampling), summarise, write
// results.json, runs.jsonl and results.csv atomically, print the summary table (stdout),
// show progress (stderr) and, with --profile, where the time and memory went (stderr and
// profile.json).
#include <sys/resource.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "reports/report.h"
#include "sim/check/checked_run.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/progress.h"
#include "sim/cli/table.h"
#include "sim/cli/verdict_output.h"
#include "sim/engines/simgrid/engine.h"
#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"
#include "sim/output/summary.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/parser.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

std::string safe_file_name(const std::string& name) {
  std::string out;
  for (const char c : name)
    out +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "scenario" : out;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Folds --until-ci-halfwidth and --max-replications into the scenario's precision spec
// and checks it against the replications to start with; returns the options to repeat
// in `reproduce`.
std::string apply_precision_options(const po::variables_map& vm, Scenario& s) {
  std::string repeat;
  if (vm.count("until-ci-halfwidth")) {
    const std::string text = vm["until-ci-halfwidth"].as<std::string>();
    try {
      s.precision.targets = parse_precision_targets(text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--until-ci-halfwidth: ") + e.what());
    }
    repeat += " --until-ci-halfwidth " + text;
  }
  if (vm.count("max-replications")) {
    const int m = vm["max-replications"].as<int>();
    if (m < 2 || m > 100000) throw UsageError("--max-replications must be 2 to 100000");
    if (!s.precision.enabled())
      throw UsageError(
          "--max-replications needs precision targets (--until-ci-halfwidth or precision:)");
    s.precision.max_replications = m;
    repeat += " --max-replications " + std::to_string(m);
  }
  if (s.precision.enabled() && s.precision.max_replications < s.replications) {
    const std::string msg =
        "precision: max_replications (" + std::to_string(s.precision.max_replications) +
        ") is below the replications to start with (" + std::to_string(s.replications) + ")";
    if (vm.count("max-replications") || vm.count("replications")) throw UsageError(msg);
    throw ScenarioError(s.file, s.precision.loc,
                        msg + "; raise max_replications or lower replications");
  }
  return repeat;
}

std::string precision_line(const PrecisionOutcome& p) {
  std::string out = "faultline: precision targets " + std::string(p.met ? "met" : "NOT met") +
                    " after " + std::to_string(p.replications) + " replications (max " +
                    std::to_string(p.max_replications) + "):";
  char buf[160];
  for (const TargetOutcome& t : p.targets) {
    std::snprintf(buf, sizeof buf, " %s half-width %.4g (target %s)%s", t.target.metric.c_str(),
                  t.achieved, t.target.as_written.c_str(), t.met ? "" : " ✗");
    out += buf;
  }
  return out + "\n";
}

}  // namespace

int run_command(const Args& args) {
  po::options_description opts("faultline run SCENARIO [options]");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("help,h", "show this help")("seed", po::value<unsigned long long>(),
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
      "results.json (or a folder of <scenario>/results.json) for `delta` expectations")(
      "strict", "an INCONCLUSIVE expectation fails the run (exit 1)");
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
  const int jobs = vm["jobs"].as<int>();
  if (jobs < 1) throw UsageError("--jobs must be at least 1");

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  Scenario s = load_scenario(files[0]);
  std::string reproduce = "faultline run " + files[0];
  if (vm.count("seed")) s.seed = vm["seed"].as<unsigned long long>();
  if (vm.count("replications")) {
    const int r = vm["replications"].as<int>();
    if (r < 1 || r > 100000) throw UsageError("--replications must be 1 to 100000");
    s.replications = r;
  }
  if (vm.count("engine")) {
    const Parsed<EngineKind> engine = parse_engine_name(vm["engine"].as<std::string>());
    if (!engine.ok()) throw UsageError("--engine " + engine.error());
    s.engine = engine.value();
    validate_engine(s, s.file);  // e.g. link_outage with --engine native
    reproduce += " --engine " + std::string(to_string(s.engine));
  }
  set_simgrid_verbose(vm.count("verbose") > 0);
  reproduce +=
      " --seed " + std::to_string(s.seed) + " --replications " + std::to_string(s.replications);
  reproduce += apply_precision_options(vm, s);
  ExperimentOptions options;
  options.jobs = jobs;
  if (vm.count("only-replication")) {
    // Sequential sampling may reach max_replications, so any replication below it exists.
    const int limit = s.precision.enabled() ? s.precision.max_replications : s.replications;
    const int k = vm["only-replication"].as<int>();
    if (k < 0 || k >= limit)
      throw UsageError("--only-replication must be in [0, " + std::to_string(limit) + ")");
    options.only_replication = k;
    reproduce += " --only-replication " + std::to_string(k);
  }
  const std::filesystem::path out_dir = vm.count("out")
                                            ? std::filesystem::path(vm["out"].as<std::string>())
                                            : std::filesystem::path("out") / safe_file_name(s.name);

  const bool sequential = s.precision.enabled() && !options.only_replication;
  std::cerr << "faultline: " << s.name << ": " << s.sweep.points()
            << (s.sweep.enabled() ? " points × " : " point × ") << s.strategies.size()
            << " strategies × " << (options.only_replication ? 1 : s.replications)
            << (sequential ? "+ replications (until precise, at most " +
                                 std::to_string(s.precision.max_replications) + ")"
                           : std::string(" replications"))
            << ", " << s.population.borrowers << " borrowers, seed " << s.seed << ", " << jobs
            << " jobs\n";
  Progress progress(std::cerr, Progress::stderr_is_interactive());
  options.on_run_done = [&progress] { progress.run_done(); };
  options.on_total = [&progress](std::size_t total) { progress.set_total(total); };
  const auto t1 = Clock::now();
  // `expect:` verdicts; `inconclusive: extend` re-runs with more replications (sim/check).
  Baseline baseline;
  const std::string* baseline_path =
      vm.count("baseline") ? &vm["baseline"].as<std::string>() : nullptr;
  const CheckedRun checked = run_checked(
      s,
      [&](const Scenario& sc, const std::string& rep) { return produce_results(sc, options, rep); },
      !options.only_replication, reproduce,
      evaluate_options(baseline_path, vm.count("strict") > 0, s.name, baseline), std::cerr);
  const ExperimentResult& result = checked.run.result;
  progress.finish();
  const auto t2 = Clock::now();
  const Summary& summary = checked.run.summary;
  const auto t3 = Clock::now();
  write_file_atomically(out_dir / "results.json", checked.run.results_text);
  write_file_atomically(out_dir / "runs.jsonl", runs_jsonl(s, result));
  write_file_atomically(out_dir / "results.csv", results_csv(s, summary));
  const auto t4 = Clock::now();
  if (sequential) std::cerr << precision_line(result.precision);

  std::cout << summary_table(s, summary);
  std::cout << "results: " << (out_dir / "results.json").string() << "\n";
  std::cout << verdict_table(files[0], checked.evaluation, s.confidence);
  if (vm.count("report")) {
    const report::ReportOptions report_options{&checked.evaluation, ""};
    write_file_atomically(vm["report"].as<std::string>(),
                          report::render_report(checked.results, report_options));
    std::cout << "report: " << vm["report"].as<std::string>() << "\n";
  }
  if (vm.count("profile")) {
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const double sim_s = secs(t1, t2);
    nlohmann::ordered_json p;
    p["events"] = result.events;
    p["events_per_s"] = sim_s > 0 ? static_cast<double>(result.events) / sim_s : 0.0;
    p["jobs"] = jobs;
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
  return checked.evaluation.failed() ? kExitExpectationsFailed : kExitOk;
}

}  // namespace faultline::cli
