// `engine:`, `infrastructure.network` / `infrastructure.platform`, and the validation
// of network-level plug-ins. See network_parser.h.
#include "sim/scenario/network_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

namespace faultline {

namespace {

struct Unit {
  std::string_view suffix;
  double factor;
};

// A positive number followed by one of `units` (an empty suffix matches a bare number).
Parsed<double> number_with_unit(std::string_view text, std::initializer_list<Unit> units,
                                const char* help) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::size_t n = 0;
  while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.' ||
                             text[n] == 'e' || text[n] == '+'))
    ++n;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (n == 0 || ec != std::errc() || ptr != text.data() + n || !std::isfinite(value))
    return {"'" + std::string(text) + "': " + help};
  std::string_view unit = text.substr(n);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  for (const Unit& u : units)
    if (u.suffix == unit) return {value * u.factor};
  return {"'" + std::string(text) + "': unknown unit '" + std::string(unit) + "'; " + help};
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// `file` is passed down: while parsing, Scenario::file is not set yet.
[[noreturn]] void fail_at(const std::string& file, SourceLoc loc, const std::string& message) {
  throw ScenarioError(file, loc, message);
}

SourceLoc where(const ParamValue& v, const PluginUse& use) {
  return v.loc.line > 0 ? v.loc : use.loc;
}

// A name that must be one of `known`, with the closest suggested.
void check_name(const std::string& file, const PluginUse& use, std::string_view param,
                const std::vector<std::string>& known, const char* what) {
  const ParamValue& v = use.params.get(param);
  if (std::find(known.begin(), known.end(), v.text) != known.end()) return;
  std::string msg = use.type + "." + std::string(param) + ": unknown " + what + " '" + v.text + "'";
  if (const auto near = closest_match(v.text, known); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  fail_at(file, where(v, use), msg + "; known " + what + "s: " + join(known));
}

}  // namespace

Parsed<double> parse_bandwidth(std::string_view text) {
  const Parsed<double> p = number_with_unit(
      text,
      {{"bps", 0.125},
       {"kbps", 125.0},
       {"Kbps", 125.0},
       {"Mbps", 1.25e5},
       {"Gbps", 1.25e8},
       {"Tbps", 1.25e11},
       {"Bps", 1.0},
       {"kBps", 1e3},
       {"KBps", 1e3},
       {"MBps", 1e6},
       {"GBps", 1e9},
       {"TBps", 1e12}},
      "expected a bandwidth such as 100Mbps, 1Gbps (bits) or 12.5MBps (bytes) per second");
  if (p.ok() && !(p.value() > 0)) return {std::string("a bandwidth must be above zero")};
  return p;
}

Parsed<double> parse_size_bytes(std::string_view text) {
  return number_with_unit(text,
                          {{"", 1.0},
                           {"B", 1.0},
                           {"kB", 1e3},
                           {"KB", 1e3},
                           {"MB", 1e6},
                           {"GB", 1e9},
                           {"TB", 1e12},
                           {"KiB", 1024.0},
                           {"MiB", 1048576.0},
                           {"GiB", 1073741824.0},
                           {"TiB", 1099511627776.0}},
                          "expected a size such as 2000, 2KB, 500GB or 4KiB");
}

Parsed<EngineKind> parse_engine_name(std::string_view text) {
  for (std::size_t i = 0; i < kEngineNames.size(); ++i)
    if (kEngineNames[i] == text) return {static_cast<EngineKind>(i)};
  return {"'" + std::string(text) + "': expected native or simgrid"};
}

void parse_engine(const YamlReader& y, const YAML::Node& root, Scenario& s) {
  if (const YAML::Node e = root["engine"]) s.engine = y.parse(e, parse_engine_name, "engine");
}

namespace {

void parse_links(const YamlReader& y, const YAML::Node& n, NetworkSpec& net) {
  y.expect_map(n, "infrastructure.network.links");
  for (auto it = n.begin(); it != n.end(); ++it) {
    LinkSpec l;
    l.name = y.scalar(it->first, "infrastructure.network.links");
    l.loc = YamlReader::loc(it->first);
    const std::string ctx = "infrastructure.network.links." + l.name;
    for (const LinkSpec& other : net.links)
      if (other.name == l.name) y.fail(it->first, ctx + ": declared twice");
    y.expect_map(it->second, ctx);
    y.check_keys(it->second, {"bandwidth", "latency"}, ctx);
    l.bandwidth_bytes_per_s =
        y.parse(y.require(it->second, "bandwidth", ctx), parse_bandwidth, ctx + ".bandwidth");
    l.latency = y.parse(y.require(it->second, "latency", ctx), parse_duration, ctx + ".latency");
    net.links.push_back(l);
  }
}

void parse_routes(const YamlReader& y, const YAML::Node& n, Scenario& s) {
  y.expect_list(n, "infrastructure.network.routes");
  const std::vector<std::string> hosts = network_hosts(s);
  std::vector<std::string> links;
  for (const LinkSpec& l : network_links(s)) links.push_back(l.name);
  auto known = [&](const YAML::Node& at, const std::string& name,
                   const std::vector<std::string>& list, const std::string& ctx, const char* what) {
    if (std::find(list.begin(), list.end(), name) != list.end()) return;
    std::string msg = ctx + ": unknown " + what + " '" + name + "'";
    if (const auto near = closest_match(name, list); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    y.fail(at, msg + "; " + what + "s: " + join(list));
  };
  int index = 0;
  for (const auto& r : n) {
    const std::string ctx = "infrastructure.network.routes[" + std::to_string(index++) + "]";
    y.expect_map(r, ctx);
    y.check_keys(r, {"from", "to", "links"}, ctx);
    RouteSpec route;
    route.loc = YamlReader::loc(r);
    const YAML::Node from = y.require(r, "from", ctx), to = y.require(r, "to", ctx);
    route.from = y.scalar(from, ctx + ".from");
    route.to = y.scalar(to, ctx + ".to");
    known(from, route.from, hosts, ctx + ".from", "host");
    known(to, route.to, hosts, ctx + ".to", "host");
    if (route.from == route.to) y.fail(to, ctx + ": a route joins two different hosts");
    for (const RouteSpec& other : s.network.routes)
      if ((other.from == route.from && other.to == route.to) ||
          (other.from == route.to && other.to == route.from))
        y.fail(r, ctx + ": the route " + route.from + " – " + route.to +
                      " is declared twice (a route serves both directions)");
    const YAML::Node list = y.require(r, "links", ctx);
    y.expect_list(list, ctx + ".links");
    for (const auto& l : list) {
      const std::string name = y.scalar(l, ctx + ".links");
      known(l, name, links, ctx + ".links", "link");
      route.links.push_back(name);
    }
    if (route.links.empty()) y.fail(list, ctx + ".links: list at least one link");
    s.network.routes.push_back(route);
  }
}

}  // namespace

void parse_network(const YamlReader& y, const YAML::Node& infra, Scenario& s) {
  const YAML::Node net = infra["network"], platform = infra["platform"];
  if (net && platform)
    y.fail(platform,
           "infrastructure: give either `network` (links and routes) or `platform` (a SimGrid XML "
           "file), not both");
  if (platform) {
    s.network.loc = YamlReader::loc(platform);
    const std::filesystem::path file(y.scalar(platform, "infrastructure.platform"));
    const std::filesystem::path resolved =
        file.is_absolute() ? file : std::filesystem::path(y.file()).parent_path() / file;
    if (!std::filesystem::is_regular_file(resolved))
      y.fail(platform, "infrastructure.platform: no such file '" + resolved.string() +
                           "' (a SimGrid platform XML, version 4.1; relative paths start at the "
                           "scenario's folder)");
    s.network.platform_file = resolved.string();
    return;
  }
  if (!net) return;
  const std::string ctx = "infrastructure.network";
  s.network.loc = YamlReader::loc(net);
  y.expect_map(net, ctx);
  y.check_keys(net, {"model", "links", "routes", "export_record_size", "send_window"}, ctx);
  if (const YAML::Node m = net["model"]) {
    s.network.model = y.scalar(m, ctx + ".model");
    if (s.network.model != "CM02" && s.network.model != "LV08")
      y.fail(m, ctx +
                    ".model: expected CM02 (latency + size/bandwidth) or LV08 (SimGrid's "
                    "TCP-corrected default)");
  }
  if (const YAML::Node r = net["export_record_size"]) {
    s.network.export_record_bytes = y.parse(r, parse_size_bytes, ctx + ".export_record_size");
    if (s.network.export_record_bytes > 1e9)
      y.fail(r, ctx + ".export_record_size: expected at most 1GB per borrower");
  }
  if (const YAML::Node w = net["send_window"]) {
    s.network.send_window = y.parse(w, parse_duration, ctx + ".send_window");
    if (s.network.send_window <= 0) y.fail(w, ctx + ".send_window: must be longer than zero");
  }
  if (const YAML::Node l = net["links"]) parse_links(y, l, s.network);
  if (const YAML::Node r = net["routes"]) parse_routes(y, r, s);
}

void validate_engine(const Scenario& s, const std::string& file) {
  auto uses = [&](auto&& check) {
    for (const PluginUse& f : s.faults) check(f);
    for (const StrategySpec& st : s.strategies)
      for (const PluginUse& m : st.mitigations) check(m);
  };
  if (s.engine == EngineKind::kNative) {
    uses([&](const PluginUse& p) {
      if (!p.network) {
        if (p.validate != nullptr) p.validate(p, s, file);  // e.g. gateway_outage's `per:`
        return;
      }
      fail_at(file, p.loc,
              p.type +
                  " needs engine: simgrid (the native engine has no network; add `engine: simgrid` "
                  "at the top level or run with --engine simgrid)");
    });
    return;
  }
  uses([&](const PluginUse& p) {
    if (p.validate != nullptr) p.validate(p, s, file);
  });
}

void fail_param(const PluginUse& use, std::string_view param, const std::string& file,
                const std::string& message) {
  fail_at(file, where(use.params.get(param), use), message);
}

void require_link(const PluginUse& use, std::string_view param, const Scenario& s,
                  const std::string& file) {
  if (!s.network.platform_file.empty()) return;
  std::vector<std::string> links;
  for (const LinkSpec& l : network_links(s)) links.push_back(l.name);
  check_name(file, use, param, links, "link");
}

void require_host(const PluginUse& use, std::string_view param, const Scenario& s,
                  const std::string& file) {
  if (!s.network.platform_file.empty()) return;
  check_name(file, use, param, network_hosts(s), "host");
}

void require_parses(const PluginUse& use, std::string_view param,
                    Parsed<double> (*parser)(std::string_view), const std::string& file) {
  const ParamValue& v = use.params.get(param);
  const Parsed<double> p = parser(v.text);
  if (!p.ok()) fail_at(file, where(v, use), use.type + "." + std::string(param) + ": " + p.error());
}

}  // namespace faultline
