// `faultline merge DIR|FILE... --out OUT [--report R]`: the shard files of a sharded run
// (`faultline run --shard K/N`) back into one set of results — results.json, runs.jsonl,
// results.csv and the report, the bytes a single run writes — or, when sequential
// precision or `inconclusive: extend` asks for more replications than the waves so far
// ran, the plan of the next wave (OUT/next-wave.json, exit 4). Parts that do not make
// one experiment are refused by name (sim/scaleout/merge.h). --quiet and --json as for
// `run` (sim/cli/terminal.h): the --json summary is the one `run --json` prints for the
// same results. docs/scale-out.md.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/experiment_cli.h"
#include "sim/cli/options.h"
#include "sim/cli/results_output.h"
#include "sim/cli/terminal.h"
#include "sim/output/atomic_file.h"
#include "sim/scaleout/merge.h"

namespace po = boost::program_options;

namespace faultline::cli {

boost::program_options::options_description merge_options() {
  po::options_description opts("faultline merge SHARDS... --out DIR [options]");
  opts.add_options()("help,h", "show this help")(
      "out,o", po::value<std::string>(),
      "output folder for results.json, runs.jsonl, results.csv (required)")(
      "report", po::value<std::string>(), "also write the HTML report to FILE (docs/report.md)")(
      "baseline", po::value<std::string>(),
      "an older results.json (or a folder of <scenario>/results.json) for `delta` expectations")(
      "strict", "an INCONCLUSIVE verdict (expectation or precision target) fails (exit 1)");
  add_terminal_options(opts);
  return opts;
}

int merge_command(const Args& args) {
  const po::options_description opts = merge_options();
  const po::variables_map vm = parse_options(args, opts, "shards");
  const Terminal term(vm);
  if (vm.count("help")) {
    std::cout
        << opts
        << "\nSHARDS are shard files or folders holding them (w<wave>-shard-<K>-of-<N>.jsonl, "
           "searched\nwith their sub-folders). Every shard of every wave must be there once, "
           "all of one study.\nExit 0 (1 if expectations failed), 2 when the parts do not "
           "merge, 4 when another wave\nof shards is needed: OUT/next-wave.json is its plan "
           "(docs/scale-out.md).\n";
    return kExitOk;
  }
  if (!vm.count("shards")) throw UsageError("missing the shard files or folders to merge");
  if (!vm.count("out")) throw UsageError("missing --out DIR, the folder to write the results to");
  OutputPaths paths;
  paths.out_dir = vm["out"].as<std::string>();
  if (vm.count("report")) paths.report = vm["report"].as<std::string>();
  const std::filesystem::path plan_file = paths.out_dir / kWavePlanFile;
  check_output_paths(paths);
  check_writable(plan_file);

  ExperimentOptions options;
  if (vm.count("baseline")) options.baseline = vm["baseline"].as<std::string>();
  options.strict = vm.count("strict") > 0;
  const std::vector<std::filesystem::path> files =
      find_shard_files(vm["shards"].as<std::vector<std::string>>());
  MergeOutcome outcome = merge_shards(files, options);
  const Experiment& e = *outcome.experiment;
  const std::string name = e.scenario().name;

  if (outcome.next_wave) {
    const WavePlan& next = *outcome.next_wave;
    write_file_atomically(plan_file, wave_plan_text(next));
    term.info() << "faultline merge: " << name << ": " << next.why << " after " << next.wave.first()
                << " replications: another wave of shards is needed, for "
                << "replications [" << next.wave.first() << ", " << next.wave.end() << ")\n";
    term.out() << "wave plan: " << plan_file.string() << "\nrun wave " << next.wave.number
               << " (for K in 1..N, any N): " << next.study.command << " --shard K/N --wave "
               << plan_file.string() << " --out SHARDS_OF_WAVE_" << next.wave.number
               << "\nthen merge every wave's shards: faultline merge SHARDS... --out "
               << paths.out_dir.string() << "\n";
    if (term.json())
      std::cout << nlohmann::ordered_json{{"scenario", name},
                                          {"file", e.scenario().file},
                                          {"next_wave", plan_file.string()},
                                          {"wave", next.wave.number},
                                          {"replications", {next.wave.first(), next.wave.end()}},
                                          {"why", next.why},
                                          {"command", next.study.command},
                                          {"exit_code", kExitAnotherWave}}
                       .dump(2)
                << "\n";
    return kExitAnotherWave;
  }
  const Results& results = *outcome.results;
  const std::vector<std::pair<std::filesystem::path, std::string>> outputs =
      render_outputs(e, results, paths);
  write_files_atomically(outputs);
  // A plan from an earlier merge into this folder is done with.
  std::error_code ignored;
  std::filesystem::remove(plan_file, ignored);
  term.info() << "faultline merge: " << name << ": " << outcome.stats.files << " shard files, "
              << outcome.stats.units << " units, " << results.rounds.size() << " wave"
              << (results.rounds.size() == 1 ? "" : "s") << "\n";
  if (results.experiment.precision.enabled)
    term.info() << precision_line(results.experiment.precision);
  print_outputs(e, results, paths, term.out(), &term);
  const int code = results.failed() ? kExitExpectationsFailed : kExitOk;
  if (term.json()) {
    // The summary `run --json` prints for the same results (outputs.front() is results.json).
    nlohmann::ordered_json j =
        scenario_summary_json(nlohmann::json::parse(outputs.front().second), e.scenario().file,
                              (paths.out_dir / "results.json").string(), results.evaluation);
    j["report"] = paths.report ? nlohmann::json(*paths.report) : nullptr;
    j["exit_code"] = code;
    std::cout << j.dump(2) << "\n";
  }
  return code;
}

}  // namespace faultline::cli
