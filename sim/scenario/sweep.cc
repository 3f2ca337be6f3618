#include "sim/scenario/sweep.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "sim/scenario/yaml_reader.h"

namespace faultline {

namespace {

// Keys of the model a sweep may vary. The others describe the experiment itself (seed,
// replications, confidence, precision) or name it; varying them per point would make the
// points incomparable, so they are rejected with an explanation.
const std::vector<std::string> kSweepableRoots = {"horizon",        "population", "channels",
                                                  "infrastructure", "reminders",  "faults",
                                                  "strategies",     "limits",     "payments"};

std::string sweepable_roots() {
  std::string out;
  for (const std::string& root : kSweepableRoots) out += (out.empty() ? "" : ", ") + root;
  return out;
}
const std::vector<std::string> kExperimentKeys = {"scenario",     "description", "seed",
                                                  "replications", "confidence",  "sweep",
                                                  "precision",    "expect",      "engine"};

constexpr const char* kPathHelp =
    "write mapping keys separated by '.' and list positions as [N] (counting from 0), "
    "e.g. faults[0].duration";

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// A number with an optional unit suffix: "200000", "1.5%", "100/s".
bool split_number(const std::string& text, double& value, std::string& suffix) {
  std::size_t n = 0;
  while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.' ||
                             text[n] == '-' || text[n] == '+' || text[n] == 'e' || text[n] == 'E'))
    ++n;
  // Accept "1e3" but not a trailing exponent letter that belongs to a unit.
  while (n > 0 && (text[n - 1] == 'e' || text[n - 1] == 'E')) --n;
  if (n == 0) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc() || ptr != text.data() + n || !std::isfinite(value)) return false;
  suffix = text.substr(n);
  while (!suffix.empty() && std::isspace(static_cast<unsigned char>(suffix.front())))
    suffix.erase(0, 1);
  return true;
}

std::string shortest(double v) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ptr);
}

}  // namespace

std::size_t SweepSpec::points() const {
  std::size_t n = 1;
  for (const auto& a : axes) n *= a.values.size();
  return n;
}

bool parse_sweep_path(const std::string& text, std::vector<PathStep>& steps, std::string& error) {
  steps.clear();
  std::size_t i = 0;
  const auto bad = [&](const std::string& why) {
    error = "'" + text + "' is not a valid path (" + why + "); " + kPathHelp;
    return false;
  };
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && is_key_char(text[i])) ++i;
    if (i == start) return bad("expected a key at position " + std::to_string(start + 1));
    steps.push_back({text.substr(start, i - start), -1});
    while (i < text.size() && text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string::npos) return bad("unclosed '['");
      const std::string digits = text.substr(i + 1, close - i - 1);
      int index = -1;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || index < 0)
        return bad("'[" + digits + "]' is not a list position");
      steps.push_back({"", index});
      i = close + 1;
    }
    if (i == text.size()) break;
    if (text[i] != '.') return bad(std::string("unexpected '") + text[i] + "'");
    if (++i == text.size()) return bad("ends with '.'");
  }
  if (steps.empty()) return bad("empty");
  return true;
}

bool range_values(const std::string& from, const std::string& to, int steps,
                  std::vector<std::string>& out, std::string& error) {
  out.clear();
  const auto at = [&](int i) { return static_cast<double>(i) / static_cast<double>(steps - 1); };
  // The ends are kept exactly as written; the values between are computed.
  const auto fill = [&](auto value_at) {
    out.push_back(from);
    for (int i = 1; i + 1 < steps; ++i) out.push_back(value_at(at(i)));
    out.push_back(to);
    return true;
  };
  const auto d0 = parse_duration(from), d1 = parse_duration(to);
  if (d0.ok() && d1.ok()) {
    const SimTime a = d0.value(), b = d1.value();
    return fill([&](double f) {
      return format_duration(a + std::llround(static_cast<double>(b - a) * f));
    });
  }
  const auto t0 = parse_time_point(from), t1 = parse_time_point(to);
  if (t0.ok() && t1.ok()) {
    const SimTime a = t0.value(), b = t1.value();
    return fill(
        [&](double f) { return format_time(a + std::llround(static_cast<double>(b - a) * f)); });
  }
  double a = 0, b = 0;
  std::string sa, sb;
  if (!split_number(from, a, sa) || !split_number(to, b, sb)) {
    error = "cannot interpolate between '" + from + "' and '" + to +
            "': expected two durations (5m, 1h), two instants (12d 06:00) or two numbers with the "
            "same unit (1%, 100/s, 20000); list the values instead";
    return false;
  }
  if (sa != sb) {
    error =
        "'" + from + "' and '" + to + "' have different units; write both ends in the same unit";
    return false;
  }
  const bool integers = sa.empty() && a == std::floor(a) && b == std::floor(b) &&
                        std::fmod(b - a, static_cast<double>(steps - 1)) == 0;
  return fill([&](double f) {
    const double v = a + (b - a) * f;
    return (integers ? shortest(std::round(v)) : shortest(v)) + sa;
  });
}

SweepSpec parse_sweep(const YAML::Node& node, const YamlReader& y) {
  SweepSpec spec;
  spec.loc = YamlReader::loc(node);
  y.expect_map(node, "sweep");
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    SweepAxis axis;
    axis.path = y.scalar(it->first, "sweep");
    axis.loc = YamlReader::loc(it->first);
    const std::string ctx = "sweep." + axis.path;
    if (!seen.insert(axis.path).second)
      y.fail(it->first, "sweep: '" + axis.path + "' appears twice");
    std::string error;
    if (!parse_sweep_path(axis.path, axis.steps, error)) y.fail(it->first, "sweep: " + error);
    const std::string& root = axis.steps.front().key;
    if (std::find(kExperimentKeys.begin(), kExperimentKeys.end(), root) != kExperimentKeys.end())
      y.fail(it->first, "sweep: '" + root +
                            "' describes the experiment, not the simulated system, and "
                            "cannot be swept; sweepable top-level keys: " +
                            sweepable_roots());
    if (std::find(kSweepableRoots.begin(), kSweepableRoots.end(), root) == kSweepableRoots.end()) {
      std::string msg = "sweep: '" + axis.path + "' starts with unknown key '" + root + "'";
      if (const auto near = closest_match(root, kSweepableRoots); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      y.fail(it->first, msg + "; sweepable top-level keys: " + sweepable_roots());
    }
    // A copy: `it->` returns a temporary proxy, so a reference into it would dangle.
    const YAML::Node v = it->second;
    if (v.IsSequence()) {
      for (const auto& e : v) {
        if (!e.IsScalar()) y.fail(e, ctx + ": each value must be a single value such as 6h or 5%");
        axis.values.push_back(e.Scalar());
        axis.value_locs.push_back(YamlReader::loc(e));
      }
      if (axis.values.empty()) y.fail(v, ctx + ": list at least one value");
    } else if (v.IsMap()) {
      y.check_keys(v, {"from", "to", "steps"}, ctx);
      const std::string from = y.scalar(y.require(v, "from", ctx), ctx + ".from");
      const std::string to = y.scalar(y.require(v, "to", ctx), ctx + ".to");
      const YAML::Node sn = y.require(v, "steps", ctx);
      const long long steps = y.parse(sn, parse_integer, ctx + ".steps");
      if (steps < 2 || steps > kMaxRangeSteps)
        y.fail(sn, ctx + ".steps: expected 2 to " + std::to_string(kMaxRangeSteps) +
                       " (the number of values, both ends included)");
      if (!range_values(from, to, static_cast<int>(steps), axis.values, error))
        y.fail(v, ctx + ": " + error);
      axis.value_locs.assign(axis.values.size(), YamlReader::loc(v));
      axis.is_range = true;
    } else {
      y.fail(v, ctx +
                    ": expected a list of values such as [1h, 6h, 24h] or a range such as "
                    "{from: 5m, to: 1h, steps: 4}");
    }
    spec.axes.push_back(std::move(axis));
  }
  if (spec.axes.empty())
    y.fail(node, "sweep: name at least one parameter to vary, e.g. faults[0].duration: [1h, 6h]");
  std::size_t points = 1;
  for (const auto& a : spec.axes) {
    points *= a.values.size();
    if (points > kMaxSweepPoints)
      y.fail(node, "sweep: the grid has more than " + std::to_string(kMaxSweepPoints) +
                       " points; sweep fewer values or split the study into several scenarios");
  }
  return spec;
}

}  // namespace faultline
