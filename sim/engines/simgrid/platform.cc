// Builds the SimGrid platform of a run; see platform.h.
#include "sim/engines/simgrid/platform.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>
#include <simgrid/kernel/ProfileBuilder.hpp>

#include "sim/scenario/network_parser.h"

namespace faultline::simgrid_engine {

namespace sg4 = simgrid::s4u;
using simgrid::kernel::profile::ProfileBuilder;

namespace {

struct Span {
  SimTime start, end;
  double factor;  // bandwidth share left (degradations); 0 for outages
};

// The windows of the plan's `kind` changes on `link`.
std::vector<Span> spans_of(const NetworkPlan& plan, NetworkPlan::LinkWindow::Kind kind,
                           std::string_view link) {
  std::vector<Span> out;
  for (const NetworkPlan::LinkWindow& l : plan.links)
    if (l.kind == kind && l.link == link)
      out.push_back({l.window.start, l.window.end, l.bandwidth_share});
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
  return out;
}

// (date, factor) at every boundary where the smallest factor in force changes.
std::vector<std::pair<SimTime, double>> factor_steps(const std::vector<Span>& spans) {
  std::set<SimTime> edges;
  for (const Span& w : spans) edges.insert(w.start), edges.insert(w.end);
  std::vector<std::pair<SimTime, double>> steps;
  double current = 1.0;
  for (const SimTime t : edges) {
    double f = 1.0;
    for (const Span& w : spans)
      if (w.start <= t && t < w.end) f = std::min(f, w.factor);
    if (f != current) steps.emplace_back(t, f), current = f;
  }
  return steps;
}

std::string profile_text(const std::vector<std::pair<SimTime, double>>& steps) {
  std::string text;
  char line[64];
  for (const auto& [t, v] : steps) {
    std::snprintf(line, sizeof line, "%.6f %.9g\n", to_seconds(t), v);
    text += line;
  }
  return text;
}

[[noreturn]] void fail(const Scenario& s, SourceLoc loc, const std::string& what) {
  throw ScenarioError(s.file, loc, what);
}

}  // namespace

std::string state_profile_text(const NetworkPlan& plan, std::string_view link) {
  // An outage is a factor-0 span: the same step logic merges overlapping windows; a
  // step to 1 is "on" again.
  auto steps = factor_steps(spans_of(plan, NetworkPlan::LinkWindow::kDown, link));
  for (auto& [t, v] : steps) v = v > 0 ? 1 : 0;
  return profile_text(steps);
}

std::string bandwidth_profile_text(const NetworkPlan& plan, std::string_view link,
                                   double nominal_bytes_per_s) {
  // A SimGrid bandwidth profile holds bandwidths (bytes/s: Link::set_bandwidth), not
  // factors of the nominal one.
  auto steps = factor_steps(spans_of(plan, NetworkPlan::LinkWindow::kSlow, link));
  for (auto& [t, v] : steps) v *= nominal_bytes_per_s;
  return profile_text(steps);
}

Platform::Platform(sg4::Engine& engine, const Scenario& scenario, const NetworkPlan& plan)
    : engine_(engine), scenario_(scenario), plan_(plan) {
  // CM02 without cross-traffic: a transfer takes latency + size / bandwidth, links are
  // shared max-min fairly. LV08 is SimGrid's default (TCP-fitted factors).
  sg4::Engine::set_config("network/model:" + scenario.network.model);
  if (scenario.network.model == "CM02") sg4::Engine::set_config("network/crosstraffic:0");
  if (scenario.network.platform_file.empty())
    build_from_network();
  else
    load_file();
  // Nominal bottlenecks, read once before any degradation applies.
  const std::vector<sg4::Host*> hosts = engine_.get_all_hosts();
  for (sg4::Host* a : hosts) {
    for (sg4::Host* b : hosts) {
      if (a == b) continue;
      RouteInfo r;
      double latency = 0;
      a->route_to(b, r.links, &latency);
      r.max_rate = std::numeric_limits<double>::infinity();
      for (const sg4::Link* l : r.links) r.max_rate = std::min(r.max_rate, l->get_bandwidth());
      routes_.emplace(std::make_pair(a, b), std::move(r));
    }
  }
}

void Platform::build_from_network() {
  const Scenario& s = scenario_;
  sg4::NetZone* zone = sg4::create_full_zone("faultline");
  std::map<std::string, sg4::Host*> hosts;
  for (const std::string& h : network_hosts(s)) hosts[h] = zone->create_host(h, "1Gf");
  std::map<std::string, sg4::Link*> links;
  auto make_link = [&](const std::string& name, double bandwidth, SimTime latency) {
    sg4::Link* l = zone->create_link(name, bandwidth)->set_latency(to_seconds(latency));
    // Profiles must be attached before the link is sealed (SimGrid 3.32).
    if (const std::string t = state_profile_text(plan_, name); !t.empty())
      l->set_state_profile(ProfileBuilder::from_string(name + "/state", t, -1));
    if (const std::string t = bandwidth_profile_text(plan_, name, bandwidth); !t.empty())
      l->set_bandwidth_profile(ProfileBuilder::from_string(name + "/bandwidth", t, -1));
    links[name] = l->seal();
  };
  for (const LinkSpec& l : network_links(s)) make_link(l.name, l.bandwidth_bytes_per_s, l.latency);
  auto in_route = [&](const std::vector<std::string>& names) {
    std::vector<sg4::LinkInRoute> out;
    for (const std::string& n : names) out.emplace_back(links.at(n));
    return out;
  };
  // The core – notification pair (the batch export) may get a route of its own.
  const auto& dedicated = plan_.batch_link;
  if (dedicated) make_link("dedicated", dedicated->bytes_per_s, dedicated->latency);
  const std::vector<std::string> names = network_hosts(s);
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = i + 1; j < names.size(); ++j) {
      const bool batch_pair = (names[i] == "core" && names[j] == "notification") ||
                              (names[i] == "notification" && names[j] == "core");
      const std::vector<std::string> route = dedicated && batch_pair
                                                 ? std::vector<std::string>{"dedicated"}
                                                 : network_route(s, names[i], names[j]);
      zone->add_route(hosts[names[i]]->get_netpoint(), hosts[names[j]]->get_netpoint(), nullptr,
                      nullptr, in_route(route), true);
    }
  }
  // Each bulk transfer leaves from a host of its own ("bulk/<i>") over the shared route of
  // its `from` host, behind a rate limiter link when the plan limits bulk transfers.
  std::map<std::string, std::string> sources;
  for (const NetworkPlan::BulkTransfer& b : plan_.bulk) {
    const std::string source = "bulk/" + std::to_string(b.fault);
    sg4::Host* h = zone->create_host(source, "1Gf");
    hosts[source] = h;
    std::vector<std::string> route = network_route(s, b.from, b.to);
    if (plan_.bulk_rate_limit) {
      make_link(source + "/limit", plan_.bulk_rate_limit->bytes_per_s, 0);
      route.insert(route.begin(), source + "/limit");
    }
    zone->add_route(h->get_netpoint(), hosts[b.to]->get_netpoint(), nullptr, nullptr,
                    in_route(route), false);
    sources[std::to_string(b.fault)] = source;
  }
  zone->seal();
  plan_bulk(sources);
}

void Platform::load_file() {
  const Scenario& s = scenario_;
  for (const NetworkPlan::Origin* o :
       {plan_.batch_link ? &plan_.batch_link->origin : nullptr,
        plan_.bulk_rate_limit ? &plan_.bulk_rate_limit->origin : nullptr})
    if (o != nullptr)
      fail(s, o->loc,
           o->plugin +
               " needs infrastructure.network (it changes routes; a platform file's "
               "routes are its own)");
  engine_.load_platform(s.network.platform_file);
  for (const std::string& h : network_hosts(s)) {
    if (h == "app" || h == "payments") continue;  // not used by the model yet
    if (engine_.host_by_name_or_null(h) == nullptr)
      fail(s, s.network.loc,
           "infrastructure.platform: the file " + s.network.platform_file + " has no host '" + h +
               "' (hosts the model uses: core, notification, vendor/<name>, carrier/<name>)");
  }
  // The file's links are sealed: their changes are applied in lock step (LinkControl), the
  // steps of every window on a link at once, each link once.
  std::set<std::pair<std::string, int>> done;
  for (const NetworkPlan::LinkWindow& w : plan_.links) {
    sg4::Link* l = engine_.link_by_name_or_null(w.link);
    if (l == nullptr)
      fail(s, w.origin.loc,
           w.origin.plugin + ".target: the platform file has no link '" + w.link + "'");
    if (!done.insert({w.link, static_cast<int>(w.kind)}).second) continue;
    const auto steps = factor_steps(spans_of(plan_, w.kind, w.link));
    for (const auto& [t, v] : steps) {
      if (w.kind == NetworkPlan::LinkWindow::kDown)
        controls_.push_back({t, l, v > 0 ? LinkControl::kOn : LinkControl::kOff, 0});
      else
        controls_.push_back({t, l, LinkControl::kBandwidth, l->get_bandwidth() * v});
    }
  }
  std::stable_sort(controls_.begin(), controls_.end(),
                   [](const LinkControl& a, const LinkControl& b) { return a.at < b.at; });
  std::map<std::string, std::string> sources;
  for (const NetworkPlan::BulkTransfer& b : plan_.bulk) sources[std::to_string(b.fault)] = b.from;
  plan_bulk(sources);
}

void Platform::plan_bulk(const std::map<std::string, std::string>& source_hosts) {
  const Scenario& s = scenario_;
  for (const NetworkPlan::BulkTransfer& b : plan_.bulk) {
    sg4::Host* from = host(source_hosts.at(std::to_string(b.fault)));
    sg4::Host* to = host(b.to);
    // Each start of the transfer, in the plan's stages.
    for (const SimTime start : b.starts) {
      for (int k = 0; k < plan_.bulk_stages; ++k) {
        const SimTime at = start + k * plan_.stage_every;
        if (at < s.horizon) bulk_.push_back({at, from, to, b.bytes / plan_.bulk_stages, b.streams});
      }
    }
  }
  std::stable_sort(bulk_.begin(), bulk_.end(),
                   [](const BulkStart& a, const BulkStart& b) { return a.at < b.at; });
}

sg4::Host* Platform::host(std::string_view name) const {
  sg4::Host* h = engine_.host_by_name_or_null(std::string(name));
  if (h == nullptr)
    fail(scenario_, scenario_.network.loc,
         "the SimGrid platform has no host '" + std::string(name) + "'");
  return h;
}

const RouteInfo& Platform::route(sg4::Host* from, sg4::Host* to) {
  return routes_.at({from, to});
}

}  // namespace faultline::simgrid_engine
