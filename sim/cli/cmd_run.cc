// `faultline run`: parse, simulate every strategy × replication, summarise, write
// results.json and runs.jsonl atomically, print the summary table (stdout) and, with
// --profile, where the time and memory went (stderr and profile.json).
#include <sys/resource.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/cli/table.h"
#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_json.h"
#include "sim/output/summary.h"
#include "sim/scenario/parser.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

std::string safe_file_name(const std::string& name) {
  std::string out;
  for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "scenario" : out;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int run_command(const Args& args) {
  po::options_description opts("faultline run SCENARIO [options]");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()
      ("help,h", "show this help")
      ("seed", po::value<unsigned long long>(), "base seed (default: the scenario's `seed`)")
      ("replications", po::value<int>(), "replications per strategy (default: the scenario's)")
      ("only-replication", po::value<int>(), "run only replication K (0-based) — reproduces its record exactly")
      ("jobs,j", po::value<int>()->default_value(static_cast<int>(cores)), "worker threads; results do not depend on it")
      ("out,o", po::value<std::string>(), "output folder (default: out/<scenario name>)")
      ("profile", "print events, events/s, time per phase and peak memory; write profile.json");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << "\nWrites results.json (summary) and runs.jsonl (one line per run) to the output folder.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");
  const int jobs = vm["jobs"].as<int>();
  if (jobs < 1) throw UsageError("--jobs must be at least 1");

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  Scenario s = parse_scenario_file(files[0], builtin_catalogues());
  std::string reproduce = "faultline run " + files[0];
  if (vm.count("seed")) s.seed = vm["seed"].as<unsigned long long>();
  if (vm.count("replications")) {
    const int r = vm["replications"].as<int>();
    if (r < 1 || r > 100000) throw UsageError("--replications must be 1 to 100000");
    s.replications = r;
  }
  reproduce += " --seed " + std::to_string(s.seed) + " --replications " + std::to_string(s.replications);
  ExperimentOptions options;
  options.jobs = jobs;
  if (vm.count("only-replication")) {
    const int k = vm["only-replication"].as<int>();
    if (k < 0 || k >= s.replications)
      throw UsageError("--only-replication must be in [0, " + std::to_string(s.replications) + ")");
    options.only_replication = k;
    reproduce += " --only-replication " + std::to_string(k);
  }
  const std::filesystem::path out_dir =
      vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>()) : std::filesystem::path("out") / safe_file_name(s.name);

  std::cerr << "faultline: " << s.name << ": " << s.strategies.size() << " strategies × "
            << (options.only_replication ? 1 : s.replications) << " replications, "
            << s.population.borrowers << " borrowers, seed " << s.seed << ", " << jobs << " jobs\n";
  const auto t1 = Clock::now();
  const ExperimentResult result = run_experiment(s, options);
  const auto t2 = Clock::now();
  const Summary summary = summarise(s, result);
  const auto t3 = Clock::now();
  write_file_atomically(out_dir / "results.json", results_json(s, summary, reproduce));
  write_file_atomically(out_dir / "runs.jsonl", runs_jsonl(s, result));
  const auto t4 = Clock::now();

  std::cout << summary_table(s, summary);
  std::cout << "results: " << (out_dir / "results.json").string() << "\n";
  if (vm.count("profile")) {
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const double sim_s = secs(t1, t2);
    nlohmann::ordered_json p;
    p["events"] = result.events;
    p["events_per_s"] = sim_s > 0 ? static_cast<double>(result.events) / sim_s : 0.0;
    p["jobs"] = jobs;
    p["phases_s"] = {{"load", secs(t0, t1)}, {"simulate", sim_s}, {"aggregate", secs(t2, t3)}, {"write", secs(t3, t4)}};
    p["peak_rss_mib"] = peak_rss_mib();
    p["population_bytes_per_borrower"] =
        static_cast<double>(result.peak_population_bytes) / std::max<std::uint32_t>(1, s.population.borrowers);
    std::cerr << "profile: " << p.dump() << "\n";
    // Kept apart from results.json, which must stay byte-identical between runs.
    write_file_atomically(out_dir / "profile.json", p.dump(2) + "\n");
  }
  return kExitOk;
}

}  // namespace faultline::cli
