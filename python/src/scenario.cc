// faultline._core.Scenario: a scenario parsed and checked by the library the CLI uses
// (parse_scenario_text/file, then check_plugins — what `faultline validate` does before
// the pipeline's own checks). Immutable: a change makes new YAML text (yaml_tree.h) that
// is parsed again, so the text that runs is always the text results.json records.
#include <pybind11/stl.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "python/src/bindings.h"
#include "python/src/yaml_tree.h"
#include "sim/model/world.h"
#include "sim/plugins/plugins.h"
#include "sim/scenario/parser.h"

namespace faultline::python {

namespace {

using ScenarioPtr = std::shared_ptr<Scenario>;  // pybind11 holders cannot be const

ScenarioPtr parse_text(const std::string& text, const std::string& file) {
  try {
    Scenario s = parse_scenario_text(text, file, builtin_catalogues());
    check_plugins(s);
    return std::make_shared<Scenario>(std::move(s));
  } catch (const ScenarioError& e) {
    raise_scenario_error(e, &text);
  }
}

ScenarioPtr parse_file(const std::string& path) {
  try {
    // Deprecated keys' warnings are the Python layer's to issue (warnings.warn), not
    // lines on the C++ stderr a notebook never shows.
    return std::make_shared<Scenario>(load_scenario(path, nullptr));
  } catch (const ScenarioError& e) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    raise_scenario_error(e, in ? &content : nullptr);
  }
}

YAML::Node load_tree(const Scenario& s) {
  try {
    return YAML::Load(s.text);
  } catch (const YAML::Exception& e) {  // cannot happen for a parsed scenario
    throw ScenarioError(s.file, {}, std::string("cannot read the scenario text: ") + e.what());
  }
}

py::list fault_list(const Scenario& s) {
  py::list out;
  for (const PluginUse& f : s.faults) {
    py::dict params;
    for (const auto& [name, value] : f.params.all()) params[py::str(name)] = value.text;
    out.append(py::dict(py::arg("type") = f.type, py::arg("line") = f.loc.line,
                        py::arg("params") = params));
  }
  return out;
}

py::list strategy_list(const Scenario& s) {
  py::list out;
  for (const StrategySpec& st : s.strategies) {
    py::list mitigations;
    for (const PluginUse& m : st.mitigations) mitigations.append(m.type);
    out.append(py::dict(py::arg("name") = st.name, py::arg("mitigations") = mitigations,
                        py::arg("line") = st.loc.line));
  }
  return out;
}

py::list sweep_list(const Scenario& s) {
  py::list out;
  for (const SweepAxis& a : s.sweep.axes)
    out.append(py::dict(py::arg("path") = a.path, py::arg("values") = a.values,
                        py::arg("line") = a.loc.line));
  return out;
}

py::list expectation_list(const Scenario& s) {
  py::list out;
  for (const Expectation& e : s.expectations)
    out.append(py::dict(py::arg("metric") = e.metric, py::arg("strategy") = e.strategy,
                        py::arg("assertion") = e.assertion,
                        py::arg("point") = e.point ? py::object(py::int_(*e.point)) : py::none(),
                        py::arg("inconclusive") = to_string(e.inconclusive),
                        py::arg("line") = e.loc.line));
  return out;
}

}  // namespace

void bind_scenario(py::module_& m) {
  py::class_<Scenario, ScenarioPtr>(m, "Scenario",
                                    "A parsed, validated scenario (immutable); see "
                                    "faultline.Scenario for the Python API.")
      .def_static("from_file", &parse_file, py::arg("path"),
                  "Reads and validates a scenario file (ScenarioError on any problem).")
      .def_static("from_text", &parse_text, py::arg("text"), py::arg("file"),
                  "Parses YAML text; `file` names it in errors and results.json.")
      .def_static(
          "from_tree",
          [](const py::dict& tree, const std::string& file) {
            return parse_text(emit(to_yaml(tree, "")), file);
          },
          py::arg("tree"), py::arg("file"), "A scenario from Python values (dicts, lists, ...).")
      .def_property_readonly("name", [](const Scenario& s) { return s.name; })
      .def_property_readonly("description", [](const Scenario& s) { return s.description; })
      .def_property_readonly("file", [](const Scenario& s) { return s.file; })
      .def_property_readonly("text", [](const Scenario& s) { return s.text; })
      .def_property_readonly("sha256", [](const Scenario& s) { return s.sha256; })
      .def_property_readonly("seed", [](const Scenario& s) { return s.seed; })
      .def_property_readonly("replications", [](const Scenario& s) { return s.replications; })
      .def_property_readonly("confidence", [](const Scenario& s) { return s.confidence; })
      .def_property_readonly("horizon_s", [](const Scenario& s) { return to_seconds(s.horizon); })
      .def_property_readonly("borrowers", [](const Scenario& s) { return s.population.borrowers; })
      .def_property_readonly("engine",
                             [](const Scenario& s) { return std::string(to_string(s.engine)); })
      .def_property_readonly(
          "warnings", [](const Scenario& s) { return s.warnings; },
          "file:line:col: warnings for deprecated keys and values read")
      .def_property_readonly("strategies", &strategy_list)
      .def_property_readonly("faults", &fault_list)
      .def_property_readonly("sweep", &sweep_list)
      .def_property_readonly("expectations", &expectation_list)
      .def(
          "tree", [](const Scenario& s) { return to_python(load_tree(s)); },
          "The scenario's YAML as Python values.")
      .def(
          "edited",
          [](const Scenario& s, const py::list& sets, const py::dict& changes) {
            YAML::Node root = load_tree(s);
            try {
              for (const auto item : sets) {
                const auto pair = item.cast<py::tuple>();
                set_path(root, pair[0].cast<std::string>(), pair[1], s.file);
              }
            } catch (const ScenarioError& e) {
              raise_scenario_error(e, &s.text);  // the path names nothing in this text
            }
            merge(root, changes, "");
            return emit(root);
          },
          py::arg("paths"), py::arg("changes"),
          "YAML text with (path, value) pairs set (None removes), then `changes` merged in.")
      .def(
          "sweep_path",
          [](const Scenario& s, const std::string& path) { return sweep_path(load_tree(s), path); },
          py::arg("path"), "A key path in the sweep block's spelling (faults[0].duration).");
}

}  // namespace faultline::python
