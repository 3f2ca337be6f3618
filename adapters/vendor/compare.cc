#include "adapters/vendor/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "adapters/vendor/engine.h"
#include "sim/experiment/stats.h"
#include "sim/metrics/metrics.h"

namespace faultline::vendor {

namespace {

double number_or_nan(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>()
                                               : std::numeric_limits<double>::quiet_NaN();
}

// Mean, CI of the mean and the prediction interval for one live run of `live_n` items,
// from per-replication values over runs of `sim_n` items on average.
CompareRow row(std::string metric, std::string unit, double live, std::size_t live_n,
               const std::vector<double>& per_run, double sim_n, double confidence) {
  CompareRow r;
  r.metric = std::move(metric);
  r.unit = std::move(unit);
  r.live = live;
  r.live_n = live_n;
  std::vector<double> finite;
  for (const double v : per_run)
    if (std::isfinite(v)) finite.push_back(v);
  const Estimate e = estimate(finite, confidence);
  r.sim_mean = e.mean;
  r.ci_low = e.ci_low;
  r.ci_high = e.ci_high;
  if (finite.size() >= 2 && live_n > 0 && sim_n > 0) {
    const double t = t_quantile(confidence, static_cast<double>(finite.size() - 1));
    // A run's spread scales with 1/sqrt(its size): rescale to the live run's size.
    const double half =
        t * e.sd * std::sqrt(sim_n / static_cast<double>(live_n) + 1.0 / finite.size());
    r.pi_low = e.mean - half;
    r.pi_high = e.mean + half;
    if (r.unit == "share") {  // a share cannot leave [0, 1]
      r.pi_low = std::max(0.0, r.pi_low);
      r.pi_high = std::min(1.0, r.pi_high);
    }
  } else {
    r.pi_low = r.pi_high = std::numeric_limits<double>::quiet_NaN();
  }
  // Equal values agree even when the interval has no width (a constant).
  r.agrees = std::isfinite(live) && ((live >= r.pi_low && live <= r.pi_high) ||
                                     std::abs(live - e.mean) <= 1e-12 * std::abs(e.mean));
  return r;
}

std::string fmt(double v, const std::string& unit) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  if (unit == "share")
    std::snprintf(buf, sizeof buf, "%.2f%%", 100 * v);
  else if (unit == "s" && v >= 7200)
    std::snprintf(buf, sizeof buf, "%.3gh", v / 3600);
  else if (unit == "s" && v >= 120)
    std::snprintf(buf, sizeof buf, "%.3gmin", v / 60);
  else
    std::snprintf(buf, sizeof buf, "%.3g%s", v, unit.c_str());
  return buf;
}

}  // namespace

double interpolated_quantile_s(const LatencyHistogram& h, double q) {
  if (h.count() == 0) return std::numeric_limits<double>::quiet_NaN();
  const double target = q * static_cast<double>(h.count());
  double seen = 0;
  for (int i = 0; i < LatencyHistogram::kBins; ++i) {
    const double c = static_cast<double>(h.at(i));
    if (c > 0 && seen + c >= target) {
      const double f = std::clamp((target - seen) / c, 0.0, 1.0);
      if (i == 0) return f;  // underflow: [0, 1 s)
      if (i == LatencyHistogram::kBins - 1) return LatencyHistogram::upper_edge_s(i - 1);
      return std::pow(10.0, (i - 1 + f) / LatencyHistogram::kPerDecade);
    }
    seen += c;
  }
  return LatencyHistogram::upper_edge_s(LatencyHistogram::kBins - 2);
}

bool Comparison::agrees() const {
  for (const CompareRow& r : rows)
    if (!r.agrees) return false;
  for (const WindowRow& w : windows)
    if (w.accepted > 0 && !w.loss.agrees) return false;
  return true;
}

LiveRun read_ledger(const std::string& path, const Scenario* scenario) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the ledger");
  LiveRun run;
  run.path = path;
  std::string text;
  std::size_t line = 0;
  bool started = false;
  double last = 0;
  std::vector<std::string> vendors;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      ++run.bad_lines;  // a killed emulator may leave a torn last line
      continue;
    }
    const std::string event = j.value("event", "");
    if (!started && event != "start")
      throw std::runtime_error(path + ":" + std::to_string(line) +
                               ": not a faultline vendor ledger (expected its start line first)");
    if (event == "start") {
      started = true;
      run.scenario_file = j.value("scenario_file", "");
      run.scenario_sha256 = j.value("scenario_sha256", "");
      run.seed = j.value("seed", std::uint64_t{0});
      run.run_seed = j.value("run_seed", std::uint64_t{0});
      run.time_scale = j.value("time_scale", 1.0);
      run.start_s = j.value("start", 0.0);
      for (const auto& v : j.at("vendors")) vendors.push_back(v.at("name").get<std::string>());
      for (const auto& w : j.at("windows"))
        run.windows.push_back({w.at("index").get<int>(), w.at("fault").get<int>(),
                               w.at("occurrence").get<int>(), w.at("type").get<std::string>(),
                               w.value("target", "*"), w.at("start").get<double>(),
                               w.at("end").get<double>()});
      last = run.start_s;
    } else if (event == "message") {
      const std::string vendor = j.value("vendor", "");
      const auto it = std::find(vendors.begin(), vendors.end(), vendor);
      if (it == vendors.end()) {
        ++run.bad_lines;
        continue;
      }
      const double submitted = number_or_nan(j, "submitted");
      run.messages.push_back({static_cast<int>(it - vendors.begin()), j.value("to", ""), submitted,
                              number_or_nan(j, "delivered")});
      last = std::max(last, submitted);
    } else if (event == "rejected") {
      const auto it = std::find(vendors.begin(), vendors.end(), j.value("vendor", ""));
      const double submitted = number_or_nan(j, "submitted");
      if (it != vendors.end())
        run.rejections.push_back({static_cast<int>(it - vendors.begin()), submitted});
      last = std::max(last, submitted);
    } else if (event == "callback") {
      (j.value("error", nlohmann::json()).is_null() ? run.callbacks_ok : run.callbacks_failed) += 1;
      if (j.contains("lateness_ms") && j["lateness_ms"].is_number())
        run.callback_lateness_ms.push_back(j["lateness_ms"].get<double>());
    } else if (event == "stop") {
      run.stop_s = j.value("sim_time", last);
    }
  }
  if (!started) throw std::runtime_error(path + ": empty ledger");
  if (run.stop_s < 0) run.stop_s = last;  // killed: no stop line
  if (scenario) {
    for (std::size_t i = 0; i < vendors.size(); ++i)
      if (i >= scenario->vendors.size() || scenario->vendors[i].name != vendors[i])
        throw std::runtime_error(path + ": its vendors do not match the scenario's");
  }
  return run;
}

Comparison compare_live(const LiveRun& live, const Scenario& s, const CompareOptions& o,
                        const ExperimentResult& simulated) {
  Comparison c;
  c.scenario = s.name;
  c.ledger = live.path;
  c.confidence = o.confidence;
  int strategy = 0;
  if (!o.strategy.empty()) {
    strategy = index_by_name(s.strategies, o.strategy);
    if (strategy < 0) throw std::invalid_argument("no strategy named '" + o.strategy + "'");
  }
  c.strategy = s.strategies[static_cast<std::size_t>(strategy)].name;
  const std::size_t strategies = s.strategies.size();
  // Live: deliveries observed before the emulator stopped.
  LatencyHistogram live_latency;
  std::size_t delivered = 0;
  for (const LiveRun::Message& m : live.messages)
    if (std::isfinite(m.delivered) && m.delivered <= live.stop_s) {
      ++delivered;
      live_latency.add(std::llround((m.delivered - m.submitted) * kSecond));
    }
  const std::size_t accepted = live.messages.size();
  // Simulated: per replication of the chosen strategy (point 0).
  std::vector<double> share, q50, q95, q99;
  double sent_sum = 0, delivered_sum = 0;
  const auto sms = static_cast<std::size_t>(Channel::sms);
  for (std::size_t i = strategy; i < simulated.records.size(); i += strategies) {
    const RunRecord& r = simulated.records[i];
    if (r.point != 0) continue;
    const double sent = r.metrics[static_cast<std::size_t>(Metric::sms_sent)];
    const double got = static_cast<double>(r.channel_latency[sms].count());
    sent_sum += sent;
    delivered_sum += got;
    share.push_back(sent > 0 ? got / sent : NAN);
    q50.push_back(interpolated_quantile_s(r.channel_latency[sms], 0.50));
    q95.push_back(interpolated_quantile_s(r.channel_latency[sms], 0.95));
    q99.push_back(interpolated_quantile_s(r.channel_latency[sms], 0.99));
  }
  c.replications = static_cast<int>(share.size());
  const double n_sim = share.empty() ? 0 : sent_sum / share.size();
  const double d_sim = share.empty() ? 0 : delivered_sum / share.size();
  c.rows.push_back(row("delivered share", "share",
                       accepted ? static_cast<double>(delivered) / accepted : NAN, accepted, share,
                       n_sim, o.confidence));
  c.rows.push_back(row("latency p50", "s", interpolated_quantile_s(live_latency, 0.50), delivered,
                       q50, d_sim, o.confidence));
  c.rows.push_back(row("latency p95", "s", interpolated_quantile_s(live_latency, 0.95), delivered,
                       q95, d_sim, o.confidence));
  c.rows.push_back(row("latency p99", "s", interpolated_quantile_s(live_latency, 0.99), delivered,
                       q99, d_sim, o.confidence));
  // Fault windows: the live loss against a replay of the same traffic with the
  // simulator's other replication seeds (1..R-1; 0 is the live run's own).
  const int replays = std::max(2, c.replications);
  std::vector<std::vector<double>> replay_loss(live.windows.size());
  const auto in_window = [&](const LiveRun::Window& w, int vendor, double t) {
    if (t < w.start_s || t >= w.end_s) return false;
    return !targets_vendor(w.type) || w.target == "*" ||
           s.vendors[static_cast<std::size_t>(vendor)].name == w.target;
  };
  std::vector<LiveWindow> windows;
  for (const LiveRun::Window& w : live.windows)
    windows.push_back({w.fault, w.occurrence, std::llround(w.start_s * kSecond),
                       std::llround(w.end_s * kSecond)});
  // Messages and rejections in submission order: the replay sends what the client sent.
  struct Sent {
    double t;
    int vendor;
    const std::string* to;
  };
  std::vector<Sent> traffic;
  for (const LiveRun::Message& m : live.messages) traffic.push_back({m.submitted, m.vendor, &m.to});
  static const std::string kUnknown = "+10000000000";
  for (const LiveRun::Rejection& r : live.rejections)
    traffic.push_back({r.submitted, r.vendor, &kUnknown});
  std::stable_sort(traffic.begin(), traffic.end(),
                   [](const Sent& a, const Sent& b) { return a.t < b.t; });
  for (int rep = 1; rep <= replays; ++rep) {
    const std::uint64_t seed = replication_seed(live.seed, 0, static_cast<std::uint64_t>(rep));
    Engine engine(s, seed, windows);
    std::vector<double> n(live.windows.size(), 0), lost(live.windows.size(), 0);
    for (const Sent& m : traffic) {
      const Fate f = engine.submit(m.vendor, *m.to, std::llround(m.t * kSecond));
      const bool ok = f.accepted && f.final_status == Status::delivered &&
                      to_seconds(f.final_at) <= live.stop_s;
      for (std::size_t w = 0; w < live.windows.size(); ++w)
        if (in_window(live.windows[w], m.vendor, m.t)) {
          ++n[w];
          lost[w] += ok ? 0 : 1;
        }
    }
    for (std::size_t w = 0; w < live.windows.size(); ++w)
      replay_loss[w].push_back(n[w] > 0 ? lost[w] / n[w] : NAN);
  }
  for (std::size_t w = 0; w < live.windows.size(); ++w) {
    WindowRow wr;
    wr.window = live.windows[w];
    double lost = 0;
    for (const LiveRun::Message& m : live.messages)
      if (in_window(wr.window, m.vendor, m.submitted)) {
        ++wr.accepted;
        lost += !(std::isfinite(m.delivered) && m.delivered <= live.stop_s);
      }
    for (const LiveRun::Rejection& r : live.rejections)
      if (in_window(wr.window, r.vendor, r.submitted)) ++wr.rejected;
    const std::size_t n = wr.accepted + wr.rejected;
    wr.loss = row("loss in window " + std::to_string(wr.window.index), "share",
                  n ? (lost + wr.rejected) / n : NAN, n, replay_loss[w], static_cast<double>(n),
                  o.confidence);
    c.windows.push_back(wr);
  }
  if (!live.callback_lateness_ms.empty()) {
    std::vector<double> l = live.callback_lateness_ms;
    std::sort(l.begin(), l.end());
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "callbacks: %zu sent, %zu failed; timer lateness p50 %.2f ms, p99 %.2f ms (x%g "
                  "in simulated time)",
                  live.callbacks_ok, live.callbacks_failed, l[l.size() / 2],
                  l[std::min(l.size() - 1, l.size() * 99 / 100)], live.time_scale);
    c.notes.push_back(buf);
  }
  if (live.bad_lines)
    c.notes.push_back(std::to_string(live.bad_lines) + " unreadable ledger lines skipped");
  if (accepted == 0) c.notes.push_back("the ledger holds no accepted message");
  return c;
}

std::string comparison_text(const Comparison& c) {
  std::ostringstream o;
  const int conf = static_cast<int>(std::lround(100 * c.confidence));
  o << "live vs simulated: " << c.scenario << " — ledger " << c.ledger << "; simulator: strategy "
    << c.strategy << ", " << c.replications << " replications, " << conf
    << "% intervals (CI of the mean; PI for one run)\n";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-22s %12s %8s %12s %24s %24s  %s\n", "metric", "live", "n",
                "simulated", "CI", "PI (one run)", "");
  o << buf;
  const auto print = [&](const CompareRow& r) {
    std::snprintf(buf, sizeof buf, "%-22s %12s %8zu %12s %24s %24s  %s\n", r.metric.c_str(),
                  fmt(r.live, r.unit).c_str(), r.live_n, fmt(r.sim_mean, r.unit).c_str(),
                  ("[" + fmt(r.ci_low, r.unit) + ", " + fmt(r.ci_high, r.unit) + "]").c_str(),
                  ("[" + fmt(r.pi_low, r.unit) + ", " + fmt(r.pi_high, r.unit) + "]").c_str(),
                  r.agrees ? "agrees" : "DIFFERS");
    o << buf;
  };
  for (const CompareRow& r : c.rows) print(r);
  for (const WindowRow& w : c.windows) {
    o << "window " << w.window.index << ": " << w.window.type << " " << w.window.target << " ["
      << format_time(std::llround(w.window.start_s * kSecond)) << ", "
      << format_time(std::llround(w.window.end_s * kSecond)) << "), " << w.accepted << " accepted, "
      << w.rejected << " rejected (prediction: replay of the same traffic)\n";
    if (w.accepted + w.rejected > 0) print(w.loss);
  }
  for (const std::string& n : c.notes) o << "note: " << n << "\n";
  o << (c.agrees() ? "verdict: live agrees with the simulator\n"
                   : "verdict: live DIFFERS from the simulator\n");
  return o.str();
}

nlohmann::ordered_json comparison_json(const Comparison& c) {
  const auto num = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  const auto row_json = [&](const CompareRow& r) {
    nlohmann::ordered_json j;
    j["metric"] = r.metric;
    j["unit"] = r.unit;
    j["live"] = num(r.live);
    j["live_n"] = r.live_n;
    j["mean"] = num(r.sim_mean);
    j["ci_low"] = num(r.ci_low);
    j["ci_high"] = num(r.ci_high);
    j["pi_low"] = num(r.pi_low);
    j["pi_high"] = num(r.pi_high);
    j["agrees"] = r.agrees;
    return j;
  };
  nlohmann::ordered_json j;
  j["ledger"] = c.ledger;
  j["strategy"] = c.strategy;
  j["replications"] = c.replications;
  j["confidence"] = c.confidence;
  j["agrees"] = c.agrees();
  j["rows"] = nlohmann::ordered_json::array();
  for (const CompareRow& r : c.rows) j["rows"].push_back(row_json(r));
  j["windows"] = nlohmann::ordered_json::array();
  for (const WindowRow& w : c.windows) {
    nlohmann::ordered_json x;
    x["index"] = w.window.index;
    x["type"] = w.window.type;
    x["target"] = w.window.target;
    x["start_s"] = w.window.start_s;
    x["end_s"] = w.window.end_s;
    x["accepted"] = w.accepted;
    x["rejected"] = w.rejected;
    x["loss"] = row_json(w.loss);
    j["windows"].push_back(x);
  }
  j["notes"] = c.notes;
  return j;
}

}  // namespace faultline::vendor
