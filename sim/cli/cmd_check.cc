// `faultline check SCENARIO...`: the CI gate. Builds every scenario's experiment first
// (the pipeline validates the scenario, the baseline and the options; one bad file fails
// fast, before minutes of simulation) and checks every output path, then runs each,
// judges its expectations and precision targets (extending replications where asked),
// writes <out>/<scenario>/results.json, runs.jsonl, results.csv and report.html, and
// reports: a verdict table on stdout, --junit FILE, and under GitHub Actions workflow
// annotations plus a $GITHUB_STEP_SUMMARY table. Exit 0 all pass, 1 a failure (or an
// inconclusive verdict under --strict), 2 bad input, 3 internal error, 130 interrupted.
#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "reports/report.h"
#include "sim/check/baseline.h"
#include "sim/check/github.h"
#include "sim/check/junit.h"
#include "sim/cli/commands.h"
#include "sim/cli/experiment_cli.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/options.h"
#include "sim/cli/terminal.h"
#include "sim/cli/verdict_output.h"
#include "sim/model/world.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"
#include "sim/pipeline/experiment.h"
#include "sim/pipeline/resources.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

struct Totals {
  int bad_input = 0, internal = 0;
};

// `summaries` collects the --json summary of each scenario that ran.
ScenarioCheck check_one(const Experiment& experiment, const ResourceEstimate& estimate,
                        const po::variables_map& vm, const std::filesystem::path& out_root,
                        Totals& totals, const Terminal& term, nlohmann::ordered_json& summaries) {
  const Scenario& s = experiment.scenario();
  ScenarioCheck c;
  c.name = s.name;
  c.file = s.file;
  c.sha256 = s.sha256;
  c.seed = s.seed;
  c.confidence = s.confidence;
  c.reproduce = experiment.reproduce();
  c.replications = s.replications;
  term.info() << plan_line(experiment);
  term.info() << "faultline: estimate: " << describe(estimate) << "\n";
  Progress progress(term.info(), !term.quiet() && Progress::stderr_is_interactive());
  try {
    Results r;
    try {
      r = experiment.run(cli_hooks(progress, s.name));
    } catch (...) {
      progress.finish();
      throw;
    }
    progress.finish();
    c.replications = r.summary.replications;
    c.evaluation = r.evaluation;
    const std::filesystem::path dir = out_root / output_folder_name(s.name);
    const std::string results_text = results_json(s, r.summary, r.reproduce);
    std::vector<std::pair<std::filesystem::path, std::string>> files = {
        {dir / "results.json", results_text},
        {dir / "runs.jsonl", runs_jsonl(s, r.experiment)},
        {dir / "results.csv", results_csv(s, r.summary)}};
    if (!vm.count("no-report")) {
      const report::ReportOptions ro{&r.evaluation, ""};
      files.emplace_back(dir / "report.html",
                         report::render_report(nlohmann::json::parse(results_text), ro));
    }
    {
      const DeferInterrupts hold;  // the scenario's whole set, or none of it
      write_files_atomically(files);
    }
    std::string written = (dir / "results.json").string();
    if (!vm.count("no-report")) written += ", " + (dir / "report.html").string();
    if (term.json())
      summaries.push_back(scenario_summary_json(nlohmann::json::parse(results_text), s.file,
                                                (dir / "results.json").string(), c.evaluation));
    if (r.experiment.precision.enabled) term.info() << precision_line(r.experiment.precision);
    term.out() << s.name << " (" << s.file << "): " << c.replications << " replications, seed "
               << s.seed << " → " << written << "\n";
    if (c.evaluation.outcomes.empty())
      term.out() << "  no expectations (add an `expect:` list: docs/scenarios.md)\n";
    term.out() << term.paint(verdict_table(s.file, c.evaluation, s.confidence));
  } catch (const Cancelled&) {
    throw;                            // the whole check stops
  } catch (const ScenarioError& e) {  // e.g. a name a SimGrid platform file lacks
    c.error = e.what();
    ++totals.bad_input;
  } catch (const RunLimitError& e) {
    c.error = std::string("run limit: ") + e.what();
    ++totals.bad_input;
  } catch (const OutputError& e) {
    c.error = e.what();
    ++totals.bad_input;
  } catch (const std::exception& e) {
    c.error = std::string("internal error: ") + e.what() +
              " (please report it with the scenario file and the seed)";
    ++totals.internal;
  }
  if (!c.error.empty()) std::cerr << "faultline check: " << s.file << ": " << c.error << "\n";
  return c;
}

}  // namespace

boost::program_options::options_description check_options() {
  po::options_description opts("faultline check SCENARIO... [options]");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("help,h", "show this help")(
      "junit", po::value<std::string>(),
      "write a JUnit XML file: one testcase per expectation × strategy")(
      "baseline", po::value<std::string>(),
      "an older results.json, or a folder of <scenario>/results.json, for `delta` "
      "expectations (paired per replication when its runs.jsonl is beside it)")(
      "strict",
      "an INCONCLUSIVE verdict (expectation or precision target) fails the check "
      "(exit 1)")("jobs,j", po::value<int>()->default_value(static_cast<int>(cores)),
                  "worker threads; results do not depend on it")(
      "out,o", po::value<std::string>()->default_value("out"),
      "write <out>/<scenario>/results.json, runs.jsonl, results.csv and report.html")(
      "no-report", "do not write report.html")(
      "dry-run",
      "validate the scenarios, the baseline and the output paths, print each reproduce "
      "command, run nothing");
  add_force_option(opts);
  add_terminal_options(opts);
  return opts;
}

int check_command(const Args& args) {
  const po::options_description opts = check_options();
  const po::variables_map vm = parse_options(args, opts, "scenario");
  if (vm.count("help")) {
    std::cout
        << opts
        << "\nExit 0 all expectations pass, 1 one fails (or is inconclusive under --strict), "
           "2 bad input, 3 internal error. Under GitHub Actions (GITHUB_ACTIONS set) also prints "
           "::error annotations and appends a table to $GITHUB_STEP_SUMMARY. See docs/ci.md.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file(s)");

  // Every file — and the baseline and output paths — is validated before anything runs:
  // a typo fails the pipeline in a second, the same way `faultline validate` and
  // `faultline run` would fail it.
  ExperimentOptions options;
  options.jobs = vm["jobs"].as<int>();
  options.strict = vm.count("strict") > 0;
  if (vm.count("baseline")) options.baseline = vm["baseline"].as<std::string>();
  std::vector<Experiment> experiments;
  bool bad = false;
  std::set<std::string> names;
  for (const std::string& file : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      experiments.push_back(Experiment::from_file(file, options));
      if (!names.insert(output_folder_name(experiments.back().scenario().name)).second)
        throw ScenarioError(file, {},
                            "another scenario in this check has the name '" +
                                experiments.back().scenario().name +
                                "' (their outputs would overwrite each other); rename one");
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      bad = true;
    }
  }
  if (bad) return kExitBadInput;
  const std::filesystem::path out_root = vm["out"].as<std::string>();
  for (const Experiment& e : experiments)
    for (const char* name : {"results.json", "runs.jsonl", "results.csv", "report.html"})
      check_writable(out_root / output_folder_name(e.scenario().name) / name);
  if (vm.count("junit")) check_writable(vm["junit"].as<std::string>());
  // Each scenario's estimate, refused before the first one runs (as `run` does).
  std::vector<ResourceEstimate> estimates;
  for (const Experiment& e : experiments) {
    try {
      estimates.push_back(admit_resources(e, vm.count("force") > 0));
    } catch (const ResourceError& error) {
      throw ResourceError(e.scenario().file + ": " + error.what());
    }
  }
  const Terminal term(vm);
  if (vm.count("dry-run")) {
    for (const Experiment& e : experiments) {
      term.info() << plan_line(e);
      term.out() << e.scenario().name << " (" << e.scenario().file
                 << "): ok; reproduce: " << e.reproduce() << "\n";
    }
    if (term.json()) {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const Experiment& e : experiments)
        j.push_back({{"scenario", e.scenario().name},
                     {"file", e.scenario().file},
                     {"ok", true},
                     {"reproduce", e.reproduce()}});
      std::cout << nlohmann::ordered_json{{"scenarios", j}, {"exit_code", kExitOk}}.dump(2) << "\n";
    }
    return kExitOk;
  }

  Totals totals;
  std::vector<ScenarioCheck> checks;
  nlohmann::ordered_json summaries = nlohmann::ordered_json::array();
  try {
    for (std::size_t i = 0; i < experiments.size(); ++i)
      checks.push_back(
          check_one(experiments[i], estimates[i], vm, out_root, totals, term, summaries));
  } catch (const Cancelled&) {
    std::cerr << "faultline check: interrupted by " << interrupt_signal_name() << " after "
              << checks.size() << " of " << experiments.size()
              << " scenario(s); those are written, the one running is not, no JUnit file\n"
                 "resume: run the same command again (results are deterministic)\n";
    return interrupt_exit_code();
  }

  if (vm.count("junit")) {
    const DeferInterrupts hold;
    write_file_atomically(vm["junit"].as<std::string>(), junit_xml(checks));
  }
  const char* github = std::getenv("GITHUB_ACTIONS");
  if (github && *github) {
    term.out() << github_annotations(checks);
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary) {
      std::ofstream(summary, std::ios::app) << github_step_summary(checks);
    }
  }
  Tally t;
  for (const ScenarioCheck& c : checks)
    for (const Outcome& o : c.evaluation.outcomes) t.add(o);
  const int code = totals.internal    ? kExitInternal
                   : totals.bad_input ? kExitBadInput
                   : t.fail           ? kExitExpectationsFailed
                                      : kExitOk;
  if (term.json()) {
    nlohmann::ordered_json j;
    j["scenarios"] = summaries;
    j["errors"] = nlohmann::ordered_json::array();
    for (const ScenarioCheck& c : checks)
      if (!c.error.empty()) j["errors"].push_back({{"file", c.file}, {"error", c.error}});
    j["passed"] = t.pass, j["failed"] = t.fail, j["inconclusive"] = t.inconclusive;
    j["skipped"] = t.skipped;
    j["junit"] =
        vm.count("junit") ? nlohmann::ordered_json(vm["junit"].as<std::string>()) : nullptr;
    j["exit_code"] = code;
    std::cout << j.dump(2) << "\n";
  }
  term.out() << "check: " << checks.size() << " scenario(s): " << t.pass << " passed, " << t.fail
             << " failed, " << t.inconclusive << " inconclusive, " << t.skipped
             << " skipped → exit " << code << "\n";
  return code;
}

}  // namespace faultline::cli
