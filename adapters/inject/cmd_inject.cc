// `faultline inject SCENARIO --map NAME=LISTEN:UPSTREAM ... --time-scale N`: see inject.h
// and docs/adapters.md.
#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>

#include "adapters/inject/inject.h"
#include "adapters/proxy/api.h"
#include "adapters/proxy/cli.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/scenario/units.h"

namespace faultline::proxy {

namespace po = boost::program_options;

namespace {
constexpr const char* kUsage =
    "usage: faultline inject SCENARIO --map NAME=LISTEN:UPSTREAM [--map ...] --time-scale N\n"
    "                        [--strategy S] [--start T] [--run-for D] [--seed S] [--replication "
    "R]\n"
    "                        [--log FILE] [--skip-unsupported] [--api-port P]\n"
    "\n"
    "Plays the scenario's fault schedule on live proxies in wall-clock time: one simulated\n"
    "hour lasts 3600/N seconds. NAME is a fault target (a vendor, a payment rail, a link);\n"
    "its proxy listens on LISTEN ([HOST:]PORT, loopback by default) and forwards to\n"
    "UPSTREAM (HOST:PORT). See docs/adapters.md for which toxics stand for which fault.\n";

SimTime time_option(const po::variables_map& vm, const char* name) {
  const auto parsed = parse_time_point(vm[name].as<std::string>());
  if (!parsed.ok()) throw cli::UsageError(std::string("--") + name + ": " + parsed.error());
  return parsed.value();
}
}  // namespace

int inject_command(const std::vector<std::string>& args) {
  po::options_description named("options");
  named.add_options()("help,h", "this help")(
      "map", po::value<std::vector<std::string>>()->composing(),
      "NAME=LISTEN:UPSTREAM: a proxy for the fault target NAME (repeatable)")(
      "time-scale", po::value<double>(), "simulated seconds per wall-clock second (required)")(
      "strategy", po::value<std::string>(),
      "the strategy the live system runs (default: the scenario's first), for the log")(
      "start", po::value<std::string>(),
      "simulated time to begin at, e.g. '12d 21:40' (default 0)")(
      "run-for", po::value<std::string>(),
      "simulated time to run, e.g. 2d (default: until the horizon)")(
      "seed", po::value<std::uint64_t>(), "base seed (default: the scenario's)")(
      "replication", po::value<std::uint64_t>()->default_value(0),
      "play this replication's schedule (its run seed as `faultline run` derives it)")(
      "log", po::value<std::string>()->default_value("inject.jsonl"),
      "JSONL log of every change (rewritten whole after each)")(
      "skip-unsupported", "skip faults with no live meaning instead of refusing the scenario")(
      "api-port", po::value<int>(),
      "also serve the Toxiproxy-compatible API on 127.0.0.1:P, to watch or add toxics");
  const auto vm = cli::parse_options(args, named, "scenario");
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << named;
    return cli::kExitOk;
  }
  if (!vm.count("scenario")) throw cli::UsageError("missing SCENARIO");
  const auto& positional = vm["scenario"].as<std::vector<std::string>>();
  if (positional.size() != 1) throw cli::UsageError("one scenario at a time");
  if (!vm.count("time-scale")) throw cli::UsageError("--time-scale N is required");
  if (!vm.count("map"))
    throw cli::UsageError("at least one --map NAME=LISTEN:UPSTREAM is required");

  inject::InjectOptions o;
  o.scenario_path = positional.front();
  o.time_scale = vm["time-scale"].as<double>();
  for (const std::string& text : vm["map"].as<std::vector<std::string>>()) {
    std::string why;
    auto map = inject::parse_map(text, &why);
    if (!map) throw cli::UsageError(why);
    o.maps.push_back(std::move(*map));
  }
  if (vm.count("strategy")) o.strategy = vm["strategy"].as<std::string>();
  if (vm.count("start")) o.start = time_option(vm, "start");
  if (vm.count("run-for")) {
    const auto parsed = parse_duration(vm["run-for"].as<std::string>());
    if (!parsed.ok()) throw cli::UsageError("--run-for: " + parsed.error());
    o.run_for = parsed.value();
  }
  o.replication = vm["replication"].as<std::uint64_t>();
  if (vm.count("seed")) o.seed = vm["seed"].as<std::uint64_t>();
  o.log_path = vm["log"].as<std::string>();
  o.skip_unsupported = vm.count("skip-unsupported") > 0;

  inject::Plan plan;
  try {
    plan = inject::make_plan(o);
  } catch (const std::invalid_argument& e) {
    throw cli::UsageError(e.what());
  }

  raise_descriptor_limit();
  boost::asio::io_context io;
  ServerOptions so;
  so.seed = plan.run_seed;  // the toxics' draws too: one seed replays the whole live run
  so.api = vm.count("api-port") > 0;
  if (so.api) so.api_port = static_cast<std::uint16_t>(vm["api-port"].as<int>());
  ProxyServer server(io, so);
  inject::Injector injector(server, std::move(plan), o, std::cout);
  // Before anything is printed: a script that signals as soon as it sees output must find
  // the handler in place.
  server.handle_signals(
      [&injector](int signo) { injector.finish(signo == SIGINT ? "SIGINT" : "SIGTERM"); });
  try {
    server.start();
    injector.start();
  } catch (const http::ListenError& e) {
    std::cerr << "faultline inject: " << e.what() << "\n";
    return cli::kExitBadInput;
  } catch (const ApiError& e) {
    std::cerr << "faultline inject: " << e.what() << "\n";
    return cli::kExitBadInput;
  }
  io.run();
  injector.finish("stopped");
  server.stop();
  return server.exit_code();
}

}  // namespace faultline::proxy
