#include "sim/scenario/sweep_grid.h"

#include <yaml-cpp/yaml.h>

#include "sim/scenario/yaml_reader.h"

namespace faultline {

namespace {

std::string keys_of(const YAML::Node& map) {
  std::string out;
  for (auto it = map.begin(); it != map.end(); ++it)
    out += (out.empty() ? "" : ", ") + it->first.Scalar();
  return out;
}

// Puts `value` at the axis's path in `root`. Every step but the last must exist (so a
// typo never creates a new strategy or vendor); the last may be a key the file leaves at
// its default, which the parser then checks like any written key. Returns whether that
// last key was created.
// A path that names nothing: reported as is, at the path.
struct PathError : ScenarioError {
  using ScenarioError::ScenarioError;
};

bool substitute(YAML::Node root, const SweepAxis& axis, const YAML::Node& value,
                const std::string& file) {
  YAML::Node cur = root;
  std::string where;  // the path so far, for messages
  const auto fail = [&](const std::string& why) {
    throw PathError(file, axis.loc, "sweep: '" + axis.path + "': " + why);
  };
  for (std::size_t k = 0; k < axis.steps.size(); ++k) {
    const PathStep& step = axis.steps[k];
    const bool last = k + 1 == axis.steps.size();
    const YAML::Node& view = cur;  // const access never inserts a key
    if (step.index >= 0) {
      if (!view.IsSequence())
        fail("'" + where + "' is not a list, so it has no position [" + std::to_string(step.index) +
             "]");
      if (static_cast<std::size_t>(step.index) >= view.size())
        fail("'" + where + "' has " + std::to_string(view.size()) + " entries; [" +
             std::to_string(step.index) + "] is past the end (positions count from 0)");
      where += "[" + std::to_string(step.index) + "]";
      if (last) {
        cur[step.index] = value;
        return false;
      }
      cur.reset(view[step.index]);
      continue;
    }
    if (!view.IsMap())
      fail("'" + where + "' is not a mapping, so it has no key '" + step.key + "'");
    const bool exists = static_cast<bool>(view[step.key]);
    if (!exists && !last) {
      std::vector<std::string> known;
      for (auto it = view.begin(); it != view.end(); ++it) known.push_back(it->first.Scalar());
      std::string msg =
          "no key '" + step.key + "' under '" + (where.empty() ? "the top level" : where) + "'";
      if (const auto near = closest_match(step.key, known); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      fail(msg + "; keys there: " + keys_of(view));
    }
    where += (where.empty() ? "" : ".") + step.key;
    if (last) {
      cur[step.key] = value;
      return !exists;
    }
    cur.reset(view[step.key]);
  }
  return false;
}

struct Choice {
  const SweepAxis* axis;
  std::size_t value;
};

std::string describe(const std::vector<Choice>& choices) {
  std::string out;
  for (const Choice& c : choices)
    out += (out.empty() ? "" : ", ") + c.axis->path + " = " + c.axis->values[c.value];
  return out;
}

std::string where_reported(const ScenarioError& e) {
  if (e.loc().line <= 0) return "";
  return " (reported at line " + std::to_string(e.loc().line) + ", column " +
         std::to_string(e.loc().column) + ")";
}

// One point's Scenario: a fresh tree from the file's text, the chosen values put in, the
// sweep block removed, the ordinary parser run.
Scenario parse_point(const Scenario& base, const Catalogues& catalogues,
                     const std::vector<Choice>& choices, bool& created_key) {
  YAML::Node root = YAML::Load(base.text);
  const YAML::Node sweep = root["sweep"];
  created_key = false;
  for (const Choice& c : choices) {
    // A listed value is the sweep block's own node, so an error about it carries its
    // line and column; a range's computed value is a new node without a position.
    const YAML::Node value = c.axis->is_range ? YAML::Node(c.axis->values[c.value])
                                              : YAML::Node(sweep[c.axis->path][c.value]);
    created_key |= substitute(root, *c.axis, value, base.file);
  }
  root.remove("sweep");
  Scenario s = parse_scenario_node(root, base.file, catalogues);
  s.file = base.file;
  s.text = base.text;
  s.sha256 = base.sha256;
  s.seed = base.seed;
  s.replications = base.replications;
  s.engine = base.engine;  // --engine overrides every point
  s.confidence = base.confidence;
  s.precision = base.precision;
  return s;  // a plain scenario: its own sweep is empty
}

}  // namespace

std::vector<SweepPoint> expand_sweep(const Scenario& base, const Catalogues& catalogues) {
  if (!base.sweep.enabled()) return {SweepPoint{0, {}, base}};
  const auto& axes = base.sweep.axes;
  // Each value alone first, so a bad value is reported at the value itself.
  for (const SweepAxis& axis : axes) {
    for (std::size_t v = 0; v < axis.values.size(); ++v) {
      bool created = false;
      try {
        parse_point(base, catalogues, {{&axis, v}}, created);
      } catch (const PathError&) {
        throw;
      } catch (const ScenarioError& e) {
        const std::string prefix = "sweep: " + axis.path + " = '" + axis.values[v] + "': ";
        if (e.loc().line <= 0)  // about a node made here: a new key, or a range's value
          throw ScenarioError(base.file, created ? axis.loc : axis.value_locs[v],
                              prefix + e.message());
        const bool at_value =
            e.loc().line == axis.value_locs[v].line && e.loc().column == axis.value_locs[v].column;
        throw ScenarioError(base.file, axis.value_locs[v],
                            prefix + e.message() + (at_value ? "" : where_reported(e)));
      }
    }
  }
  std::vector<SweepPoint> points;
  const std::size_t total = base.sweep.points();
  for (std::size_t index = 0; index < total; ++index) {
    std::vector<Choice> choices(axes.size());
    std::size_t rest = index;
    for (std::size_t a = axes.size(); a-- > 0;) {
      choices[a] = {&axes[a], rest % axes[a].values.size()};
      rest /= axes[a].values.size();
    }
    SweepPoint p;
    p.index = static_cast<int>(index);
    for (const Choice& c : choices)
      p.parameters.emplace_back(c.axis->path, c.axis->values[c.value]);
    bool created = false;
    try {
      p.scenario = parse_point(base, catalogues, choices, created);
    } catch (const ScenarioError& e) {
      // Every value passed alone: the combination is what fails.
      throw ScenarioError(base.file, base.sweep.loc,
                          "sweep point " + std::to_string(index) + " (" + describe(choices) +
                              "): " + e.message() + where_reported(e));
    }
    const auto names = [](const Scenario& s) {
      std::vector<std::string> out;
      for (const auto& st : s.strategies) out.push_back(st.name);
      return out;
    };
    if (!points.empty() && names(p.scenario) != names(points.front().scenario))
      throw ScenarioError(
          base.file, base.sweep.loc,
          "sweep point " + std::to_string(index) + " (" + describe(choices) +
              ") has other strategies than point 0; a sweep may vary parameters, not strategies");
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace faultline
