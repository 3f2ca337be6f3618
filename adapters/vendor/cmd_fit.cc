// `faultline fit LOG`: vendor and carrier parameters from a delivery log (fit.h), and
// `faultline fit --simulate SCENARIO -o LOG`: a delivery log made by the simulator's model
// with the scenario's known parameters (traffic_log.h), to check what a fit recovers.
#include <iostream>

#include "adapters/vendor/delivery_log.h"
#include "adapters/vendor/fit.h"
#include "adapters/vendor/traffic_log.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/scenario/units.h"

namespace faultline::cli {

namespace {

template <typename T>
T parsed_or_usage(const Parsed<T>& p, const std::string& option) {
  if (!p.ok()) throw UsageError("--" + option + ": " + p.error());
  return p.value();
}

int simulate(const boost::program_options::variables_map& vm) {
  if (!vm.count("output")) throw UsageError("--simulate needs -o LOG, the log to write");
  const Scenario s = load_scenario(vm["simulate"].as<std::string>());
  vendor::TrafficOptions o;
  const long long messages =
      parsed_or_usage(parse_integer(vm["messages"].as<std::string>()), "messages");
  if (messages < 1 || messages > 100'000'000)
    throw UsageError("--messages must be between 1 and 100000000");
  o.messages = static_cast<std::size_t>(messages);
  if (vm.count("rate")) {
    o.rate_per_s = parsed_or_usage(parse_rate_per_s(vm["rate"].as<std::string>()), "rate");
    if (!(o.rate_per_s > 0)) throw UsageError("--rate must be above 0/s");
  }
  if (vm.count("start"))
    o.start = parsed_or_usage(parse_time_point(vm["start"].as<std::string>()), "start");
  const std::uint64_t base = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : s.seed;
  o.seed = replication_seed(base, 0, 0);  // the simulator's replication 0
  const std::string out = vm["output"].as<std::string>();
  vendor::write_simulated_log(s, o, out);
  std::cerr << "fit --simulate: " << o.messages << " messages of " << s.name << " (seed " << base
            << ") → " << out << "\n";
  return kExitOk;
}

}  // namespace

int fit_command(const Args& args) {
  namespace po = boost::program_options;
  po::options_description opts(
      "faultline fit LOG [options]\n"
      "faultline fit --simulate SCENARIO -o LOG [--messages N] [--rate R] [--seed S]");
  opts.add_options()("help,h", "show this help")(
      "format", po::value<std::string>()->default_value("yaml"), "yaml or json")(
      "confidence", po::value<std::string>()->default_value("95%"), "of the intervals")(
      "output,o", po::value<std::string>(), "write here (atomically) instead of stdout")(
      "simulate", po::value<std::string>(),
      "write a delivery log of SCENARIO's vendors and carriers instead of fitting one")(
      "messages", po::value<std::string>()->default_value("10000"), "--simulate: messages")(
      "rate", po::value<std::string>(),
      "--simulate: Poisson arrivals, e.g. 200/s (default: half the vendors' capacity)")(
      "start", po::value<std::string>(), "--simulate: first arrival, e.g. 2d 09:00 (default 0)")(
      "seed", po::value<std::uint64_t>(), "--simulate: base seed (default: the scenario's)");
  const po::variables_map vm = parse_options(args, opts, "log");
  if (vm.count("help")) {
    std::cout
        << opts
        << "\nPrints a YAML snippet of vendor and carrier parameters with confidence "
           "intervals and goodness-of-fit lines (docs/adapters.md). Bad rows are listed on "
           "stderr with their line numbers and skipped. Exit 0 when fitted, 2 on bad input.\n";
    return kExitOk;
  }
  if (vm.count("simulate")) {
    if (vm.count("log")) throw UsageError("--simulate takes no LOG argument");
    return simulate(vm);
  }
  if (!vm.count("log")) throw UsageError("missing the delivery log");
  const auto logs = vm["log"].as<std::vector<std::string>>();
  if (logs.size() != 1) throw UsageError("fit takes one delivery log");
  const std::string format = vm["format"].as<std::string>();
  if (format != "yaml" && format != "json") throw UsageError("--format must be yaml or json");
  const double confidence =
      parsed_or_usage(parse_probability(vm["confidence"].as<std::string>()), "confidence");
  if (!(confidence > 0.5 && confidence < 1))
    throw UsageError("--confidence must be in (50%, 100%)");
  vendor::DeliveryLog log;
  try {
    log = vendor::read_delivery_log(logs[0]);
  } catch (const std::runtime_error& e) {
    std::cerr << "faultline fit: " << e.what() << "\n";
    return kExitBadInput;
  }
  for (const vendor::BadRow& b : log.bad_rows)
    std::cerr << log.path << ":" << b.line << ": skipped: " << b.why << "\n";
  if (log.records.empty()) {
    std::cerr << "faultline fit: " << log.path << ": no usable message rows\n";
    return kExitBadInput;
  }
  const vendor::FitResult r = vendor::fit_log(log, confidence);
  const std::string text = format == "json" ? vendor::fit_json(r) : vendor::fit_yaml(r);
  if (vm.count("output"))
    write_file_atomically(vm["output"].as<std::string>(), text);
  else
    std::cout << text;
  return kExitOk;
}

}  // namespace faultline::cli
