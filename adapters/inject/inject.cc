#include "adapters/inject/inject.h"

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <regex>
#include <set>
#include <sstream>

#include "adapters/common/address.h"
#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/scenario/error.h"
#include "sim/scenario/parser.h"

namespace faultline::inject {

std::optional<Mapping> parse_map(const std::string& text, std::string* why) {
  // NAME=[HOST:]PORT:HOST:PORT, hosts possibly [IPv6].
  static const std::regex re(
      R"(^([^=\s]+)=(?:(\[[0-9A-Fa-f:.]+\]|[^:\[\]\s]*):)?(\d+):(\[[0-9A-Fa-f:.]+\]|[^:\[\]\s]+):(\d+)$)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) {
    if (why)
      *why = "--map " + text +
             ": expected NAME=LISTEN:UPSTREAM, e.g. "
             "alpha=127.0.0.1:26001:127.0.0.1:9001 or alpha=26001:127.0.0.1:9001";
    return std::nullopt;
  }
  Mapping map;
  map.name = m[1];
  const std::string listen_host = m[2].matched && !m[2].str().empty() ? m[2].str() : "127.0.0.1";
  map.listen = listen_host + ":" + m[3].str();
  map.upstream = m[4].str() + ":" + m[5].str();
  for (const std::string* address : {&map.listen, &map.upstream}) {
    std::string reason;
    if (!adapters::parse_host_port(*address, &reason)) {
      if (why) *why = "--map " + text + ": " + *address + ": " + reason;
      return std::nullopt;
    }
  }
  return map;
}

Plan make_plan(const InjectOptions& o) {
  if (!(o.time_scale > 0)) throw std::invalid_argument("--time-scale must be a positive number");
  Plan plan;
  plan.scenario = parse_scenario_file(o.scenario_path, builtin_catalogues());
  const Scenario& s = plan.scenario;
  if (o.strategy.empty()) {
    plan.strategy = s.strategies.empty() ? "baseline" : s.strategies.front().name;
  } else {
    std::string known;
    for (const StrategySpec& st : s.strategies) {
      if (st.name == o.strategy) plan.strategy = st.name;
      known += (known.empty() ? "" : ", ") + st.name;
    }
    if (plan.strategy.empty())
      throw std::invalid_argument("--strategy " + o.strategy + ": the scenario has " + known);
  }
  // The run seed of replication R of the base seed, as `faultline run` derives it (common
  // random numbers: every strategy of a replication shares it), so the live timeline is
  // that run's.
  plan.run_seed = replication_seed(o.seed.value_or(s.seed), 0, o.replication);
  plan.schedule = Schedule::of(s, plan.run_seed);
  plan.start = o.start;
  plan.end = o.run_for ? o.start + *o.run_for : s.horizon;
  if (plan.start >= plan.end)
    throw std::invalid_argument("--start " + format_time(plan.start) +
                                " leaves nothing to run (the run ends at " + format_time(plan.end) +
                                ")");

  std::set<std::string> mapped;
  for (const Mapping& m : o.maps) {
    if (!mapped.insert(m.name).second)
      throw std::invalid_argument("--map " + m.name + " is given twice");
  }
  std::set<std::string> targets;
  for (const ScheduledFault& f : plan.schedule.faults()) {
    const SourceLoc loc = s.faults.at(static_cast<std::size_t>(f.index)).loc;
    const std::string what = f.type + " #" + std::to_string(f.index);
    LiveFault live;
    try {
      live = live_form(f, s, o.time_scale);
    } catch (const NoLiveMeaning& e) {
      if (!o.skip_unsupported)
        throw ScenarioError(o.scenario_path, loc,
                            std::string(e.what()) + "; faults `inject` can play: " +
                                injectable_list() + " (or pass --skip-unsupported)");
      plan.notes.push_back(what + ": not injected: " + e.what());
      continue;
    } catch (const std::invalid_argument& e) {
      throw ScenarioError(o.scenario_path, loc, e.what());
    }
    targets.insert(live.target);
    if (!mapped.count(live.target)) {
      plan.notes.push_back(what + " on " + live.target + ": not injected (no --map " + live.target +
                           "=LISTEN:UPSTREAM)");
      continue;
    }
    for (const std::string& note : live.notes) plan.notes.push_back(what + ": " + note);
    plan.live.emplace(f.index, std::move(live));
  }
  for (const Mapping& m : o.maps)
    if (!targets.count(m.name))
      plan.notes.push_back("--map " + m.name +
                           ": no fault of the scenario targets it; the proxy "
                           "runs without faults");

  for (const auto& [index, live] : plan.live)
    if (plan.schedule.fault(static_cast<std::size_t>(index)).active_at(plan.start))
      plan.steps.push_back({plan.start, index, true});
  for (const Transition& t : plan.schedule.transitions())
    if (plan.live.count(t.fault) && t.at > plan.start && t.at < plan.end)
      plan.steps.push_back({t.at, t.fault, t.on});
  return plan;
}

namespace {

std::string iso_time(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0')
      << ms.count() << 'Z';
  return out.str();
}

std::string fixed(double v, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << v;
  return out.str();
}

std::string toxic_name(const ScheduledFault& f, const LiveToxic& t) {
  return f.type + "_" + std::to_string(f.index) + "_" + t.type + "_" +
         std::string(proxy::to_string(t.stream));
}

}  // namespace

Injector::Injector(proxy::ProxyServer& server, Plan plan, InjectOptions options, std::ostream& out)
    : server_(server),
      plan_(std::move(plan)),
      options_(std::move(options)),
      out_(out),
      timer_(server.runtime().io()),
      wall_start_(std::chrono::steady_clock::now()),
      clock_start_(std::chrono::system_clock::now()) {}

std::chrono::steady_clock::time_point Injector::wall_of(SimTime t) const {
  const double seconds = to_seconds(t - plan_.start) / options_.time_scale;
  return wall_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(seconds));
}

std::string Injector::proxy_of(int fault) const {
  return plan_.live.at(fault).target;
}

void Injector::start() {
  for (const Mapping& m : options_.maps)
    server_.proxies().create({{"name", m.name}, {"listen", m.listen}, {"upstream", m.upstream}});
  wall_start_ = std::chrono::steady_clock::now();
  clock_start_ = std::chrono::system_clock::now();

  out_ << "faultline inject: " << options_.scenario_path << ", strategy " << plan_.strategy
       << ", run seed " << plan_.run_seed << ", time scale " << options_.time_scale
       << " (1 simulated hour = " << fixed(3600 / options_.time_scale, 3) << " s), from "
       << format_time(plan_.start) << " to " << format_time(plan_.end) << " = "
       << fixed(to_seconds(plan_.end - plan_.start) / options_.time_scale, 1) << " s\n";
  for (const auto& [name, proxy] : server_.proxies().all())
    out_ << "  proxy " << name << ": " << proxy->listen() << " -> " << proxy->upstream() << "\n";
  for (const auto& [index, live] : plan_.live) {
    const ScheduledFault& f = plan_.schedule.fault(static_cast<std::size_t>(index));
    for (const Window& w : f.windows)
      if (w.end > plan_.start && w.start < plan_.end)
        out_ << "  " << f.type << " #" << index << " on " << live.target << " (" << live.mode
             << "): " << format_time(w.start) << " - " << format_time(w.end) << "\n";
  }
  for (const std::string& note : plan_.notes) out_ << "  note: " << note << "\n";
  out_.flush();

  nlohmann::ordered_json start;
  start["event"] = "start";
  start["wall_time"] = iso_time(clock_start_);
  start["scenario"] = options_.scenario_path;
  start["strategy"] = plan_.strategy;
  start["run_seed"] = plan_.run_seed;
  start["time_scale"] = options_.time_scale;
  start["start_s"] = to_seconds(plan_.start);
  start["end_s"] = to_seconds(plan_.end);
  for (const Mapping& m : options_.maps)
    start["proxies"][m.name] = {{"listen", server_.proxies().get(m.name)->listen()},
                                {"upstream", m.upstream}};
  log(std::move(start));
  flush_log();
  arm();
}

void Injector::arm() {
  if (finished_) return;
  const auto now = std::chrono::steady_clock::now();
  bool applied = false;
  while (next_ < plan_.steps.size() && wall_of(plan_.steps[next_].at) <= now) {
    apply(plan_.steps[next_++]);
    applied = true;
  }
  if (applied) flush_log();  // once per instant: the file write must not delay the next step
  const bool more = next_ < plan_.steps.size();
  timer_.expires_at(more ? wall_of(plan_.steps[next_].at) : wall_of(plan_.end));
  timer_.async_wait([this, more](const boost::system::error_code& ec) {
    if (ec || finished_) return;
    if (more) return arm();
    finish("done");
    server_.stop();
  });
}

void Injector::apply(const Step& step) {
  const ScheduledFault& f = plan_.schedule.fault(static_cast<std::size_t>(step.fault));
  const LiveFault& live = plan_.live.at(step.fault);
  auto proxy = server_.proxies().get(live.target);
  const auto wall = std::chrono::system_clock::now();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  out_ << "[+" << fixed(elapsed, 3) << " s | " << format_time(step.at) << "] " << live.target
       << ": " << (step.on ? "on " : "off") << " " << f.type << " #" << step.fault << " ("
       << live.mode << ") →";
  for (const LiveToxic& t : live.toxics) {
    const std::string name = toxic_name(f, t);
    nlohmann::ordered_json line;
    line["event"] = "toxic";
    line["wall_time"] = iso_time(wall);
    line["elapsed_s"] = elapsed;
    line["sim_time"] = format_time(step.at);
    line["sim_s"] = to_seconds(step.at);
    line["proxy"] = live.target;
    line["action"] = step.on ? "add" : "remove";
    line["toxic"] = name;
    line["type"] = t.type;
    line["stream"] = std::string(proxy::to_string(t.stream));
    line["attributes"] = t.attributes;
    line["fault"] = step.fault;
    line["fault_type"] = f.type;
    line["mode"] = live.mode;
    if (step.on) {
      server_.proxies().add_toxic(*proxy, {{"name", name},
                                           {"type", t.type},
                                           {"stream", std::string(proxy::to_string(t.stream))},
                                           {"attributes", t.attributes}});
      out_ << " +" << name;
    } else {
      if (proxy->find_toxic(name)) server_.proxies().remove_toxic(*proxy, name);
      out_ << " -" << name;
    }
    ++changes_;
    log(std::move(line));
  }
  out_ << std::endl;
}

void Injector::log(nlohmann::ordered_json line) {
  log_text_ += line.dump() + "\n";
}

void Injector::flush_log() {
  if (!options_.log_path.empty()) write_file_atomically(options_.log_path, log_text_);
}

void Injector::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  const SimTime reached =
      plan_.start + static_cast<SimTime>(elapsed * options_.time_scale * kSecond);
  nlohmann::ordered_json stop;
  stop["event"] = "stop";
  stop["wall_time"] = iso_time(std::chrono::system_clock::now());
  stop["elapsed_s"] = elapsed;
  stop["sim_time"] = format_time(std::min(reached, plan_.end));
  stop["reason"] = reason;
  stop["changes"] = changes_;
  log(std::move(stop));
  flush_log();
  out_ << "faultline inject: " << (reason == "done" ? "done" : "stopped by " + reason) << " at "
       << format_time(std::min(reached, plan_.end)) << "; " << changes_ << " toxic changes";
  if (!options_.log_path.empty()) out_ << "; log: " << options_.log_path;
  out_ << std::endl;
}

}  // namespace faultline::inject
