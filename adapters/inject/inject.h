// `faultline inject`: a scenario's fault schedule played on live proxies in scaled
// wall-clock time. The schedule is the simulator's own (sim/scenario/schedule.h: the same
// windows, the same onset draws for the same run seed); each fault whose target is mapped
// to a proxy (--map NAME=LISTEN:UPSTREAM) switches its toxics (fault_map.h) on at its
// window's start and off at its end. Every change is printed as a timeline line and
// appended to a JSONL log, rewritten whole after each change so the file on disk is never
// half-written.
//
// Time: with time scale N, simulated time t is reached at wall start + (t - start) / N,
// where `start` is the simulated time the run begins at (default 0); faults open then are
// switched on at once. The run ends after `run_for` (default: at the horizon). The option
// names are the SMS-vendor emulator's (`faultline vendor`): --start, --run-for, --seed.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/inject/fault_map.h"
#include "adapters/proxy/server.h"
#include "sim/scenario/schedule.h"

namespace faultline::inject {

struct Mapping {
  std::string name;      // a fault target: a vendor, a rail, a link
  std::string listen;    // host:port the proxy listens on
  std::string upstream;  // host:port of the real service
};
// "alpha=127.0.0.1:26001:127.0.0.1:9001" or "alpha=26001:127.0.0.1:9001" (loopback);
// IPv6 in brackets. Sets `why` and returns nothing when malformed.
std::optional<Mapping> parse_map(const std::string& text, std::string* why);

struct InjectOptions {
  std::string scenario_path;
  std::vector<Mapping> maps;
  double time_scale = 1;  // simulated seconds per wall second
  std::string strategy;   // empty: the scenario's first (reference) strategy
  SimTime start = 0;
  std::optional<SimTime> run_for;  // simulated time to run; default: until the horizon
  std::uint64_t replication = 0;
  std::optional<std::uint64_t> seed;  // base seed (default: the scenario's)
  std::string log_path = "inject.jsonl";
  bool skip_unsupported = false;
};

// A change of the plan: fault `fault` switches on or off at simulated time `at`.
struct Step {
  SimTime at;
  int fault;
  bool on;
  bool operator==(const Step&) const = default;
};

struct Plan {
  Scenario scenario;
  std::uint64_t run_seed = 0;
  std::string strategy;
  Schedule schedule;
  std::map<int, LiveFault> live;   // mapped faults by index
  std::vector<std::string> notes;  // what is not injected, and why
  std::vector<Step> steps;         // in time order; those open at `start` come first, at `start`
  SimTime start = 0, end = 0;
};

// Reads the scenario and builds the plan. Throws ScenarioError (file:line:col) for a
// fault with no live meaning (unless skip_unsupported) and std::invalid_argument for bad
// options (an unknown strategy, a start at or after the horizon, ...).
Plan make_plan(const InjectOptions& options);

class Injector {
 public:
  Injector(proxy::ProxyServer& server, Plan plan, InjectOptions options, std::ostream& out);
  // Creates the proxies and arms the timeline. Throws ApiError when a proxy cannot listen.
  void start();
  // Writes the last log line (reason: "done", "SIGTERM", ...). Safe to call twice.
  void finish(const std::string& reason);
  bool finished() const { return finished_; }
  std::size_t changes() const { return changes_; }

 private:
  void arm();
  void apply(const Step& step);
  void log(nlohmann::ordered_json line);
  void flush_log();
  std::chrono::steady_clock::time_point wall_of(SimTime t) const;
  std::string proxy_of(int fault) const;

  proxy::ProxyServer& server_;
  Plan plan_;
  InjectOptions options_;
  std::ostream& out_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point wall_start_;
  std::chrono::system_clock::time_point clock_start_;
  std::size_t next_ = 0;
  std::size_t changes_ = 0;
  std::string log_text_;
  bool finished_ = false;
};

}  // namespace faultline::inject
