#include "adapters/inject/fault_map.h"

#include <algorithm>
#include <cmath>

#include "sim/scenario/network_parser.h"

namespace faultline::inject {

using proxy::Stream;

const std::vector<FaultMapping>& fault_mappings() {
  static const std::vector<FaultMapping> table = {
      {"vendor_outage mode=reject", "target (vendor)", "http_error upstream: status 503, rate 1",
       "the vendor's API refuses every message at its door; the sender sees errors"},
      {"vendor_outage mode=silent_drop", "target (vendor)", "silent_drop upstream",
       "requests are taken (TCP acknowledges them) and never reach the vendor; no answer"},
      {"vendor_outage mode=backlog", "target (vendor)", "latency upstream: the window's length",
       "requests are held and all arrive when the outage ends"},
      {"vendor_degradation", "target (vendor)",
       "latency downstream: extra_latency; http_error upstream: status 503, rate error_rate "
       "(when > 0)",
       "every answer is late by the extra latency; a share of messages fails; `capacity` has no "
       "live form (the proxy does not shape message rates) and is reported; `per: borrower` "
       "has no live form (the proxy does not read numbers: `faultline vendor` plays it) and is "
       "refused"},
      {"gateway_outage", "rail (payment rail)", "http_error upstream: status 503, rate error_rate",
       "the payment gateway declines that share of attempts; 100 % is down; `per: borrower` "
       "has no live form (the proxy sees requests, not cards) and is refused"},
      {"link_outage", "target (link)", "timeout 0 upstream and downstream",
       "a blackhole: nothing crosses, connections hang; when the link returns the connections "
       "that hung are closed, new ones work"},
      {"link_degradation", "target (link)",
       "bandwidth upstream and downstream: bandwidth × the link's nominal rate",
       "the link carries its share of the nominal bandwidth (declared in "
       "infrastructure.network, or the default platform's)"},
  };
  return table;
}

std::string injectable_list() {
  return "vendor_outage (reject, silent_drop, backlog), vendor_degradation, gateway_outage, "
         "link_outage, link_degradation";
}

namespace {

// A simulated duration as wall milliseconds at the time scale (at least 0).
std::int64_t wall_ms(SimTime simulated, double time_scale) {
  return std::max<std::int64_t>(
      0, std::llround(static_cast<double>(simulated) / kMillisecond / time_scale));
}

LiveToxic http_error(double rate) {
  return {"http_error", Stream::kUpstream, {{"status", 503}, {"rate", rate}}};
}

double link_bandwidth(const Scenario& scenario, const std::string& link) {
  for (const LinkSpec& l : network_links(scenario))
    if (l.name == link) return l.bandwidth_bytes_per_s;
  throw std::invalid_argument("link_degradation: the scenario has no link '" + link +
                              "' to take a nominal bandwidth from");
}

}  // namespace

LiveFault live_form(const ScheduledFault& fault, const Scenario& scenario, double time_scale) {
  const ParamSet& p = fault.params;
  LiveFault live;
  live.target = fault.target;
  if (fault.type == "vendor_outage") {
    live.mode = p.text("mode");
    if (live.mode == "reject") {
      live.toxics = {http_error(1.0)};
    } else if (live.mode == "silent_drop") {
      live.toxics = {{"silent_drop", Stream::kUpstream, nlohmann::json::object()}};
    } else if (live.mode == "backlog") {
      const SimTime length = fault.spec.duration;
      live.toxics = {{"latency", Stream::kUpstream, {{"latency", wall_ms(length, time_scale)}}}};
    } else {
      throw NoLiveMeaning("vendor_outage mode " + live.mode +
                          " has no live meaning for a proxy in front of the vendor's API "
                          "(delivery receipts do not pass through it)");
    }
    return live;
  }
  if (fault.type == "vendor_degradation") {
    // The proxy forwards requests without reading the numbers in them: errors on a
    // persistent share of numbers would be played as per-message errors, silently.
    if (p.text("per") == "borrower")
      throw NoLiveMeaning(
          "vendor_degradation per: borrower has no live meaning for a TCP proxy (it does not "
          "read the numbers in the requests); the SMS-vendor emulator (faultline vendor) "
          "plays it; per: attempt can be played");
    live.mode = "degradation";
    live.toxics.push_back(
        {"latency", Stream::kDownstream, {{"latency", wall_ms(p.time("extra_latency"), 1.0)}}});
    if (p.number("error_rate") > 0) live.toxics.push_back(http_error(p.number("error_rate")));
    if (p.number("capacity") < 1)
      live.notes.push_back("capacity " + std::to_string(p.number("capacity")) +
                           " is not applied live (the proxy does not shape message rates)");
    return live;
  }
  if (fault.type == "gateway_outage") {
    // The proxy sees requests, not cards: playing per: borrower as per attempt would be a
    // different fault, silently.
    if (p.text("per") == "borrower")
      throw NoLiveMeaning(
          "gateway_outage per: borrower has no live meaning for a TCP proxy (it sees "
          "requests, not the cards or borrowers behind them); per: attempt can be played");
    live.target = p.text("rail").empty() ? "card" : p.text("rail");
    live.mode = p.number("error_rate") >= 1 ? "down" : "declines";
    live.toxics = {http_error(p.number("error_rate"))};
    return live;
  }
  if (fault.type == "link_outage") {
    live.mode = "down";
    for (const Stream s : {Stream::kUpstream, Stream::kDownstream})
      live.toxics.push_back({"timeout", s, {{"timeout", 0}}});
    return live;
  }
  if (fault.type == "link_degradation") {
    live.mode = "degraded";
    const double bytes_per_s = link_bandwidth(scenario, fault.target) * p.number("bandwidth");
    // Toxiproxy's KB is 1000 bytes; at least 1 KB/s (0 would stop the link).
    const auto rate = std::max<std::int64_t>(1, std::llround(bytes_per_s / 1000));
    for (const Stream s : {Stream::kUpstream, Stream::kDownstream})
      live.toxics.push_back({"bandwidth", s, {{"rate", rate}}});
    return live;
  }
  throw NoLiveMeaning("fault " + fault.type +
                      " has no live meaning for a TCP proxy (it acts inside the simulated "
                      "systems, not on traffic to a service)");
}

}  // namespace faultline::inject
