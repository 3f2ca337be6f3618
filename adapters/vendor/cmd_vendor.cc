// `faultline vendor SCENARIO`: the SMS-vendor emulator (docs/adapters.md). Serves
// Twilio's Messages API for each of the scenario's vendors on loopback, with the
// scenario's vendor and carrier model and fault schedule in scaled wall-clock time,
// writes the ledger, and stops on SIGINT/SIGTERM (exit 130/143) or after --run-for.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <random>

#include "adapters/common/address.h"
#include "adapters/common/shutdown.h"
#include "adapters/http/server.h"
#include "adapters/vendor/cmd_compare.h"
#include "adapters/vendor/live_windows.h"
#include "adapters/vendor/service.h"
#include "adapters/vendor/twilio.h"
#include "faultline/version.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/random/stream.h"
#include "sim/scenario/units.h"

namespace faultline::cli {

namespace {

template <typename T>
T parsed_or_usage(const Parsed<T>& p, const std::string& option) {
  if (!p.ok()) throw UsageError("--" + option + ": " + p.error());
  return p.value();
}

// The one draw not taken from the run seed: a credential derived from a published seed
// would be public. It changes no simulated outcome.
std::string random_token() {
  std::random_device entropy;
  RandomStream r((std::uint64_t{entropy()} << 32) | entropy(), "vendor/auth-token");
  static const char* kHex = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 32; ++i) t += kHex[r.uniform_int(0, 15)];
  return t;
}

nlohmann::ordered_json start_line(const Scenario& s, const std::string& scenario_file,
                                  std::uint64_t seed, std::uint64_t run_seed,
                                  const vendor::ServiceOptions& o,
                                  const std::vector<vendor::LiveWindow>& windows) {
  nlohmann::ordered_json j;
  j["event"] = "start";
  j["tool"] = std::string("faultline ") + kToolVersion + " (git " + kGitRevision + ")";
  j["scenario"] = s.name;
  j["scenario_file"] = std::filesystem::absolute(scenario_file).string();
  j["scenario_sha256"] = s.sha256;
  j["seed"] = seed;
  j["run_seed"] = run_seed;
  j["time_scale"] = o.time_scale;
  j["start"] = to_seconds(o.start);
  j["callback_idle"] = o.callback_pool.max_idle_per_host;
  j["callback_idle_timeout_ms"] = o.callback_pool.idle_timeout.count();
  j["wall_start_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  j["vendors"] = nlohmann::ordered_json::array();
  for (const VendorSpec& v : s.vendors)
    j["vendors"].push_back({{"name", v.name}, {"account_sid", vendor::account_sid(v.name)}});
  j["windows"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const PluginUse& f = s.faults[static_cast<std::size_t>(windows[i].fault)];
    nlohmann::ordered_json w;
    w["index"] = i;
    w["fault"] = windows[i].fault;
    w["occurrence"] = windows[i].occurrence;
    w["type"] = f.type;
    w["target"] = f.params.all().count("target") ? f.params.text("target") : "*";
    if (f.params.all().count("mode")) w["mode"] = f.params.text("mode");
    w["start"] = to_seconds(windows[i].start);
    w["end"] = to_seconds(windows[i].end);
    j["windows"].push_back(w);
  }
  return j;
}

}  // namespace

boost::program_options::options_description vendor_options() {
  namespace po = boost::program_options;
  po::options_description opts("faultline vendor SCENARIO [options]");
  opts.add_options()("help,h", "show this help")(
      "listen", po::value<std::string>()->default_value("127.0.0.1:8480"),
      "host:port to serve on (port 0 picks a free one)")("time-scale",
                                                         po::value<double>()->default_value(1.0),
                                                         "simulated seconds per wall-clock second")(
      "start", po::value<std::string>(), "simulated time at start, e.g. '12d 21:45' (default 0)")(
      "seed", po::value<std::uint64_t>(),
      "base seed (default: the scenario's); the emulator "
      "plays the simulator's replication 0")("auth-token", po::value<std::string>(),
                                             "every account's token (default: a random one)")(
      "ledger", po::value<std::string>(), "write the JSONL ledger here")(
      "run-for", po::value<std::string>(), "stop after this much simulated time, e.g. 2h")(
      "max-pending", po::value<std::size_t>()->default_value(200000),
      "messages with callbacks to come before the API answers 429")(
      "callback-idle", po::value<std::size_t>()->default_value(8),
      "idle keep-alive connections kept per callback receiver (0: a new connection each)")(
      "callback-idle-timeout", po::value<std::string>()->default_value("4s"),
      "an idle callback connection is closed after this long (wall clock), e.g. 500ms")(
      "compare", "after stopping, compare the ledger with the simulator (needs --ledger)")(
      "report", po::value<std::string>(), "with --compare: write the HTML report here")(
      "replications", po::value<int>(), "with --compare: of the simulation");
  return opts;
}

int vendor_command(const Args& args) {
  namespace po = boost::program_options;
  const po::options_description opts = vendor_options();
  const po::variables_map vm = parse_options(args, opts, "scenario");
  if (vm.count("help")) {
    std::cout << opts
              << "\nPrints one line per vendor (`alpha AccountSid AC…`), the auth token and "
                 "`listening on http://HOST:PORT`, then serves until SIGINT/SIGTERM (exit "
                 "130/143) or --run-for (exit 0). docs/adapters.md.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("vendor takes one scenario");
  std::string why;
  const auto address = adapters::parse_host_port(vm["listen"].as<std::string>(), &why);
  if (!address) throw UsageError("--listen: " + why);
  vendor::ServiceOptions o;
  o.time_scale = vm["time-scale"].as<double>();
  if (!(o.time_scale >= 0.001 && o.time_scale <= 1e7))
    throw UsageError("--time-scale must be between 0.001 and 10000000");
  if (vm.count("start"))
    o.start = parsed_or_usage(parse_time_point(vm["start"].as<std::string>()), "start");
  o.max_pending = vm["max-pending"].as<std::size_t>();
  if (o.max_pending < 1) throw UsageError("--max-pending must be at least 1");
  o.callback_pool.max_idle_per_host = vm["callback-idle"].as<std::size_t>();
  if (o.callback_pool.max_idle_per_host > 1024)
    throw UsageError("--callback-idle must be at most 1024 (connections per receiver)");
  const SimTime idle_timeout = parsed_or_usage(
      parse_duration(vm["callback-idle-timeout"].as<std::string>()), "callback-idle-timeout");
  // A wall-clock timeout, in whole milliseconds: at least 1 ms, at most an hour.
  if (idle_timeout < kMillisecond || idle_timeout > kHour)
    throw UsageError("--callback-idle-timeout must be between 1ms and 1h");
  o.callback_pool.idle_timeout = std::chrono::milliseconds(idle_timeout / kMillisecond);
  SimTime run_for = 0;
  if (vm.count("run-for")) {
    run_for = parsed_or_usage(parse_duration(vm["run-for"].as<std::string>()), "run-for");
    if (run_for <= 0) throw UsageError("--run-for must be above 0");
  }
  if (vm.count("compare") && !vm.count("ledger"))
    throw UsageError("--compare reads the ledger: give --ledger FILE");
  const Scenario s = load_scenario(files[0]);
  if (s.vendors.empty()) throw UsageError(files[0] + ": the scenario declares no SMS vendor");
  if (o.start >= s.horizon) throw UsageError("--start is past the scenario's horizon");
  const std::uint64_t seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : s.seed;
  const std::uint64_t run_seed = replication_seed(seed, 0, 0);
  o.auth_token = vm.count("auth-token") ? vm["auth-token"].as<std::string>() : random_token();
  if (o.auth_token.empty()) throw UsageError("--auth-token must not be empty");
  const std::vector<vendor::LiveWindow> windows = vendor::live_windows(s, run_seed);
  vendor::Engine engine(s, run_seed, windows);
  vendor::Ledger ledger;
  if (vm.count("ledger")) {
    try {
      ledger = vendor::Ledger(vm["ledger"].as<std::string>());
    } catch (const std::runtime_error& e) {
      std::cerr << "faultline vendor: " << e.what() << "\n";
      return kExitBadInput;
    }
  }

  boost::asio::io_context io;
  vendor::Service service(io, engine, ledger, run_seed, o);
  http::ServerOptions so;
  so.host = address->host;
  so.port = address->port;
  so.server_header = "faultline-vendor";
  http::Server server(io, service.router(), so);
  try {
    server.listen();
  } catch (const http::ListenError& e) {
    std::cerr << "faultline vendor: cannot listen on " << e.what() << "\n";
    return kExitBadInput;
  }
  ledger.write(start_line(s, files[0], seed, run_seed, o, windows));
  if (!adapters::is_loopback_host(address->host))
    std::cerr << "faultline vendor: warning: listening on " << address->host
              << ", not loopback: anyone who can reach it can send through it\n";
  std::cout << "faultline vendor: " << s.name << ", seed " << seed << ", time-scale "
            << o.time_scale << ", starting at " << format_time(o.start) << "\n";
  for (const VendorSpec& v : s.vendors)
    std::cout << v.name << " AccountSid " << vendor::account_sid(v.name) << "\n";
  std::cout << "auth token " << o.auth_token << "\n";
  std::cout << "listening on http://" << adapters::to_string(server.local_endpoint()) << "\n"
            << std::flush;

  // Stopping: close the listener, stop scheduling callbacks, let the ones in flight end.
  boost::asio::steady_timer stop_timer(io), poll(io);
  bool stopping = false;
  std::function<void()> wait_for_drain;
  adapters::SignalShutdown* shutdown_ptr = nullptr;
  const auto begin_stop = [&] {
    if (stopping) return;
    stopping = true;
    stop_timer.cancel();
    server.close();
    service.stop();
    wait_for_drain();
  };
  // Callbacks still in flight get at most kDrain to finish (a receiver that hangs must not
  // hold the emulator); those cut off are counted as unsent in the stop line.
  constexpr auto kDrain = std::chrono::seconds(3);
  std::chrono::steady_clock::time_point drain_deadline{};
  wait_for_drain = [&] {
    if (drain_deadline == std::chrono::steady_clock::time_point{})
      drain_deadline = std::chrono::steady_clock::now() + kDrain;
    if ((service.in_flight() == 0 && server.open_connections() == 0) ||
        std::chrono::steady_clock::now() >= drain_deadline) {
      if (shutdown_ptr) shutdown_ptr->done();
      io.stop();
      return;
    }
    poll.expires_after(std::chrono::milliseconds(20));
    poll.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) wait_for_drain();
    });
  };
  adapters::SignalShutdown shutdown(
      io, [&](int) { begin_stop(); }, std::chrono::seconds(10));
  shutdown_ptr = &shutdown;
  if (run_for > 0) {
    stop_timer.expires_after(
        std::chrono::microseconds(std::llround(static_cast<double>(run_for) / o.time_scale)));
    stop_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) begin_stop();
    });
  }
  io.run();
  service.stop();
  const vendor::ServiceStats st = service.stats();
  nlohmann::ordered_json stop;
  stop["event"] = "stop";
  stop["sim_time"] = to_seconds(service.sim_now());
  stop["accepted"] = st.accepted;
  stop["rejected"] = st.rejected;
  stop["throttled"] = st.throttled;
  stop["bad_requests"] = st.bad_requests;
  stop["callbacks_ok"] = st.callbacks_ok;
  stop["callbacks_failed"] = st.callbacks_failed;
  stop["callbacks_unsent"] = st.callbacks_unsent;
  stop["peak_pending"] = st.peak_pending;
  stop["callback_connections"] = st.callback_connections;
  ledger.write(stop);
  std::cerr << "faultline vendor: stopped at " << format_time(service.sim_now()) << ": "
            << st.accepted << " accepted, " << st.rejected << " rejected, " << st.throttled
            << " throttled, " << st.bad_requests << " bad requests; callbacks " << st.callbacks_ok
            << " ok, " << st.callbacks_failed << " failed, " << st.callbacks_unsent << " unsent\n";
  int code = shutdown.exit_code();
  if (vm.count("compare")) {
    CompareRequest q;
    q.ledger = vm["ledger"].as<std::string>();
    q.scenario = files[0];
    if (vm.count("report")) q.report = vm["report"].as<std::string>();
    if (vm.count("replications")) q.options.replications = vm["replications"].as<int>();
    const int c = run_comparison(q);
    if (code == 0) code = c;
  }
  return code;
}

}  // namespace faultline::cli
