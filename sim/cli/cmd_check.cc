// `faultline check SCENARIO...`: the CI gate. Validates every scenario first (one bad file
// fails fast, before minutes of simulation), then runs each, judges its expectations
// (extending replications where asked), writes <out>/<scenario>/results.json and
// report.html, and reports: a verdict table on stdout, --junit FILE, and under GitHub
// Actions workflow annotations plus a $GITHUB_STEP_SUMMARY table. Exit 0 all pass, 1 a
// failure (or an inconclusive verdict under --strict), 2 bad input, 3 internal error.
#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "reports/report.h"
#include "sim/check/baseline.h"
#include "sim/check/checked_run.h"
#include "sim/check/github.h"
#include "sim/check/junit.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/verdict_output.h"
#include "sim/model/plugin.h"
#include "sim/model/world.h"
#include "sim/output/atomic_file.h"
#include "sim/scenario/parser.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

struct Totals {
  int bad_input = 0, internal = 0;
};

ScenarioCheck check_one(Scenario& s, const po::variables_map& vm,
                        const std::filesystem::path& out_root, Totals& totals) {
  ScenarioCheck c;
  c.name = s.name;
  c.file = s.file;
  c.sha256 = s.sha256;
  c.seed = s.seed;
  c.confidence = s.confidence;
  std::string reproduce = "faultline run " + s.file + " --seed " + std::to_string(s.seed) +
                          " --replications " + std::to_string(s.replications);
  c.reproduce = reproduce;
  c.replications = s.replications;
  try {
    EvaluateOptions eval;
    eval.strict = vm.count("strict") > 0;
    Baseline baseline;
    if (vm.count("baseline")) {
      baseline = load_baseline(vm["baseline"].as<std::string>(), s.name);
      if (baseline.results)
        eval.baseline = &*baseline.results, eval.baseline_label = baseline.label;
      else
        eval.no_baseline_reason = baseline.missing_reason;
    }
    ExperimentOptions options;
    options.jobs = vm["jobs"].as<int>();
    const Producer produce = [&](const Scenario& sc, const std::string& rep) {
      return produce_results(sc, options, rep);
    };
    const CheckedRun run = run_checked(s, produce, true, reproduce, eval, std::cerr);
    c.reproduce = reproduce;
    c.replications = run.results.value("replications", s.replications);
    c.evaluation = run.evaluation;
    const std::filesystem::path dir = out_root / output_folder_name(s.name);
    write_file_atomically(dir / "results.json", run.run.results_text);
    std::string written = (dir / "results.json").string();
    if (!vm.count("no-report")) {
      const report::ReportOptions ro{&run.evaluation, ""};
      write_file_atomically(dir / "report.html", report::render_report(run.results, ro));
      written += ", " + (dir / "report.html").string();
    }
    std::cout << s.name << " (" << s.file << "): " << c.replications << " replications, seed "
              << s.seed << " → " << written << "\n";
    if (c.evaluation.outcomes.empty())
      std::cout << "  no expectations (add an `expect:` list: docs/scenarios.md)\n";
    std::cout << verdict_table(s.file, c.evaluation, s.confidence);
  } catch (const ScenarioError& e) {  // a bad baseline, or an expectation naming a missing point
    c.error = e.what();
    ++totals.bad_input;
  } catch (const RunLimitError& e) {
    c.error = std::string("run limit: ") + e.what();
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

int check_command(const Args& args) {
  po::options_description opts("faultline check SCENARIO... [options]");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("help,h", "show this help")(
      "junit", po::value<std::string>(),
      "write a JUnit XML file: one testcase per expectation × strategy")(
      "baseline", po::value<std::string>(),
      "results.json, or a folder of <scenario>/results.json, for `delta` expectations")(
      "strict", "an INCONCLUSIVE verdict fails the check (exit 1)")(
      "jobs,j", po::value<int>()->default_value(static_cast<int>(cores)),
      "worker threads; results do not depend on it")(
      "out,o", po::value<std::string>()->default_value("out"),
      "write <out>/<scenario>/results.json and report.html")("no-report",
                                                             "do not write report.html");
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
  if (vm["jobs"].as<int>() < 1) throw UsageError("--jobs must be at least 1");

  // Every file is validated before anything runs: a typo fails the pipeline in a second.
  std::vector<Scenario> scenarios;
  bool bad = false;
  std::set<std::string> names;
  for (const std::string& file : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      scenarios.push_back(load_scenario(file));
      if (!names.insert(output_folder_name(scenarios.back().name)).second)
        throw ScenarioError(file, {},
                            "another scenario in this check has the name '" +
                                scenarios.back().name +
                                "' (their outputs would overwrite each other); rename one");
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      bad = true;
    }
  }
  if (bad) return kExitBadInput;

  Totals totals;
  std::vector<ScenarioCheck> checks;
  for (Scenario& s : scenarios)
    checks.push_back(check_one(s, vm, vm["out"].as<std::string>(), totals));

  if (vm.count("junit")) write_file_atomically(vm["junit"].as<std::string>(), junit_xml(checks));
  const char* github = std::getenv("GITHUB_ACTIONS");
  if (github && *github) {
    std::cout << github_annotations(checks);
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
  std::cout << "check: " << checks.size() << " scenario(s): " << t.pass << " passed, " << t.fail
            << " failed, " << t.inconclusive << " inconclusive, " << t.skipped << " skipped → exit "
            << code << "\n";
  return code;
}

}  // namespace faultline::cli
