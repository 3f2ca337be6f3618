#include "adapters/vendor/traffic_log.h"

#include <cstdio>

#include "adapters/vendor/live_windows.h"
#include "adapters/vendor/twilio.h"
#include "sim/output/atomic_file.h"
#include "sim/random/stream.h"

namespace faultline::vendor {

namespace {
nlohmann::ordered_json seconds_or_null(SimTime t) {
  return t == kTimeNever ? nlohmann::ordered_json() : nlohmann::ordered_json(to_seconds(t));
}
}  // namespace

nlohmann::ordered_json message_record(const Scenario& scenario, int vendor, const std::string& sid,
                                      const std::string& to, const Fate& f) {
  nlohmann::ordered_json j;
  j["event"] = "message";
  j["message_id"] = sid;
  j["vendor"] = scenario.vendors[static_cast<std::size_t>(vendor)].name;
  j["carrier"] = scenario.carriers[static_cast<std::size_t>(f.carrier)].name;
  j["to"] = to;
  j["submitted"] = to_seconds(f.accepted_at);
  j["sent"] = seconds_or_null(f.sent_at);
  const bool delivered = f.final_status == Status::delivered;
  j["delivered"] = delivered ? seconds_or_null(f.final_at) : nlohmann::ordered_json();
  // The truth; a silently dropped message stays "sent" for ever.
  j["status"] = f.cause == Cause::dropped ? "sent" : status_name(f.final_status);
  j["error_code"] =
      f.error_code == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(f.error_code);
  j["updated"] = seconds_or_null(f.final_at);
  j["receipt"] = seconds_or_null(f.receipt_at);
  j["receipt_status"] = f.receipt_at == kTimeNever
                            ? nlohmann::ordered_json()
                            : nlohmann::ordered_json(status_name(f.receipt_status));
  j["cause"] = cause_name(f.cause);
  j["filtered"] = f.filtered;
  j["window"] = f.window < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(f.window);
  return j;
}

void write_simulated_log(const Scenario& scenario, const TrafficOptions& o,
                         const std::string& path) {
  if (scenario.vendors.empty()) throw std::invalid_argument("the scenario declares no vendor");
  double total_capacity = 0;
  for (const VendorSpec& v : scenario.vendors) total_capacity += v.capacity_per_s;
  const double rate = o.rate_per_s > 0 ? o.rate_per_s : 0.5 * total_capacity;
  Engine engine(scenario, o.seed, live_windows(scenario, o.seed));
  RandomStream arrivals(o.seed, "fit/arrivals");
  RandomStream numbers(o.seed, "fit/numbers");
  RandomStream routing(o.seed, "fit/vendor");
  std::string text;
  text.reserve(o.messages * 400);
  double t_s = to_seconds(o.start);
  std::uint64_t sequence = 0;
  for (std::size_t i = 0; i < o.messages; ++i) {
    t_s += arrivals.exponential(1.0 / rate);
    // Each vendor gets traffic in proportion to its capacity.
    double u = routing.uniform01() * total_capacity;
    int v = 0;
    while (v + 1 < static_cast<int>(scenario.vendors.size()) &&
           u >= scenario.vendors[static_cast<std::size_t>(v)].capacity_per_s) {
      u -= scenario.vendors[static_cast<std::size_t>(v)].capacity_per_s;
      ++v;
    }
    char to[20];
    std::snprintf(to, sizeof to, "+1555%07lld",
                  static_cast<long long>(numbers.uniform_int(0, 9'999'999)));
    const Fate f = engine.submit(v, to, std::llround(t_s * kSecond));
    if (!f.accepted) continue;  // refused at the API: not in a delivery log
    text += message_record(scenario, v, message_sid(o.seed, v, sequence++), to, f).dump();
    text += '\n';
  }
  write_file_atomically(path, text);
}

}  // namespace faultline::vendor
