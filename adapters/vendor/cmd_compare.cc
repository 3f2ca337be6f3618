// `faultline compare LEDGER`: a live emulator run beside the simulator's prediction for
// the same scenario (compare.h), in the terminal, in results.json ("live_comparison")
// and as a section of the HTML report. Exit 0 when every row agrees, 1 when one differs.
#include "adapters/vendor/cmd_compare.h"

#include <filesystem>
#include <iostream>

#include "adapters/vendor/compare.h"
#include "faultline/version.h"
#include "reports/report.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_json.h"
#include "sim/output/summary.h"
#include "sim/pipeline/experiment.h"
#include "sim/scenario/units.h"

namespace faultline::cli {

int run_comparison(const CompareRequest& q) {
  vendor::LiveRun live = vendor::read_ledger(q.ledger);
  const std::string scenario_file = q.scenario.empty() ? live.scenario_file : q.scenario;
  if (scenario_file.empty()) throw UsageError("the ledger names no scenario: pass --scenario");
  Scenario s = load_scenario(scenario_file);
  if (!live.scenario_sha256.empty() && s.sha256 != live.scenario_sha256)
    std::cerr << "faultline compare: warning: " << scenario_file
              << " changed since the live run (its SHA-256 differs from the ledger's)\n";
  vendor::read_ledger(q.ledger, &s);  // the vendors must match
  if (live.messages.empty() && live.rejections.empty()) {
    std::cerr << "faultline compare: " << q.ledger
              << ": the ledger holds no message: nothing was sent live, nothing to compare\n";
    return kExitBadInput;
  }
  s.seed = live.seed;
  if (q.options.replications > 0) s.replications = q.options.replications;
  ExperimentOptions eo;
  eo.jobs = q.options.jobs;
  std::cerr << "compare: simulating " << s.name << " (" << s.replications << " replications, seed "
            << s.seed << ")\n";
  const Results run = Experiment(s, eo).run();
  const ExperimentResult& result = run.experiment;
  const vendor::Comparison c = vendor::compare_live(live, s, q.options, result);
  std::cout << vendor::comparison_text(c);
  const std::string reproduce = "faultline compare " + q.ledger;
  nlohmann::json results = nlohmann::json::parse(results_json(s, run.summary, reproduce));
  results["live_comparison"] = nlohmann::json::parse(vendor::comparison_json(c).dump());
  if (!q.out_dir.empty()) {
    std::filesystem::create_directories(q.out_dir);
    write_file_atomically(std::filesystem::path(q.out_dir) / "results.json",
                          results.dump(2) + "\n");
    std::cout << "results: " << (std::filesystem::path(q.out_dir) / "results.json").string()
              << "\n";
  }
  if (!q.report.empty()) {
    const report::ReportOptions ro{nullptr, "faultline compare does not judge expectations"};
    write_file_atomically(q.report, report::render_report(results, ro));
    std::cout << "report: " << q.report << "\n";
  }
  return c.agrees() ? kExitOk : kExitExpectationsFailed;
}

int compare_command(const Args& args) {
  namespace po = boost::program_options;
  po::options_description opts("faultline compare LEDGER [options]");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>(), "the scenario (default: the one the ledger names)")(
      "replications", po::value<int>(), "of the simulation (default: the scenario's)")(
      "strategy", po::value<std::string>(),
      "the strategy the live client plays (default: the first)")(
      "jobs", po::value<int>()->default_value(1), "threads for the simulation")(
      "confidence", po::value<std::string>()->default_value("95%"), "of the intervals")(
      "out", po::value<std::string>(), "write DIR/results.json with the comparison in it")(
      "report", po::value<std::string>(), "write the HTML report with a live-vs-simulated section");
  const po::variables_map vm = parse_options(args, opts, "ledger");
  if (vm.count("help")) {
    std::cout << opts
              << "\nExit 0 when every row agrees (the live value is inside the simulator's "
                 "prediction interval), 1 when one differs, 2 on bad input.\n";
    return kExitOk;
  }
  if (!vm.count("ledger")) throw UsageError("missing the ledger");
  const auto files = vm["ledger"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("compare takes one ledger");
  CompareRequest q;
  q.ledger = files[0];
  if (vm.count("scenario")) q.scenario = vm["scenario"].as<std::string>();
  if (vm.count("replications")) {
    q.options.replications = vm["replications"].as<int>();
    if (q.options.replications < 2 || q.options.replications > 100000)
      throw UsageError("--replications must be between 2 and 100000");
  }
  if (vm.count("strategy")) q.options.strategy = vm["strategy"].as<std::string>();
  q.options.jobs = vm["jobs"].as<int>();
  if (q.options.jobs < 1 || q.options.jobs > 256)
    throw UsageError("--jobs must be between 1 and 256");
  const Parsed<double> conf = parse_probability(vm["confidence"].as<std::string>());
  if (!conf.ok() || !(conf.value() > 0.5 && conf.value() < 1))
    throw UsageError("--confidence must be in (50%, 100%)");
  q.options.confidence = conf.value();
  if (vm.count("out")) q.out_dir = vm["out"].as<std::string>();
  if (vm.count("report")) q.report = vm["report"].as<std::string>();
  try {
    return run_comparison(q);
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const UsageError*>(&e) || dynamic_cast<const ScenarioError*>(&e)) throw;
    std::cerr << "faultline compare: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace faultline::cli
