// faultline._core.catalogue(): the plug-in registries and the metric table — the single
// source `faultline list` prints — as Python values.
#include <pybind11/stl.h>

#include "python/src/bindings.h"
#include "sim/metrics/metrics.h"
#include "sim/model/registry.h"
#include "sim/plugins/plugins.h"

namespace faultline::python {

namespace {

template <typename Infos>
py::list plugin_list(const Infos& infos) {
  py::list out;
  for (const PluginInfo& info : infos) {
    py::list params;
    for (const ParamSpec& p : info.params) {
      py::list choices;  // "a|b|c"
      for (std::size_t start = 0; start < p.choices.size();) {
        const std::size_t bar = std::min(p.choices.find('|', start), p.choices.size());
        choices.append(std::string(p.choices.substr(start, bar - start)));
        start = bar + 1;
      }
      params.append(
          py::dict(py::arg("name") = std::string(p.name), py::arg("kind") = to_string(p.kind),
                   py::arg("default") = p.default_value.empty()
                                            ? py::object(py::none())
                                            : py::object(py::str(std::string(p.default_value))),
                   py::arg("required") = p.default_value.empty(), py::arg("choices") = choices,
                   py::arg("help") = std::string(p.help)));
    }
    py::list renamed;  // old spellings still read, with a warning (docs/scenarios.md)
    for (const Renamed& r : info.renamed)
      renamed.append(py::dict(
          py::arg("parameter") = std::string(r.key),
          py::arg("old_name") = r.old_key.empty() ? py::object(py::none())
                                                  : py::object(py::str(std::string(r.old_key))),
          py::arg("old_value") = r.old_value.empty()
                                     ? py::object(py::none())
                                     : py::object(py::str(std::string(r.old_value))),
          py::arg("new_value") = r.new_value.empty()
                                     ? py::object(py::none())
                                     : py::object(py::str(std::string(r.new_value)))));
    out.append(py::dict(py::arg("name") = std::string(info.name),
                        py::arg("summary") = std::string(info.summary),
                        py::arg("effect") = std::string(info.effect),
                        py::arg("calibration") = std::string(info.calibration),
                        py::arg("engine") = info.network ? "simgrid" : "any",
                        py::arg("parameters") = params, py::arg("renamed") = renamed));
  }
  return out;
}

py::list metric_list() {
  py::list out;
  for (const MetricInfo& m : kMetrics)
    out.append(py::dict(py::arg("name") = std::string(m.name),
                        py::arg("unit") = std::string(m.unit),
                        py::arg("definition") = std::string(m.definition)));
  return out;
}

}  // namespace

void bind_catalogue(py::module_& m) {
  m.def(
      "catalogue",
      [] {
        const Catalogues catalogues = builtin_catalogues();  // checks the registries first
        return py::dict(py::arg("faults") = plugin_list(catalogues.faults),
                        py::arg("mitigations") = plugin_list(catalogues.mitigations),
                        py::arg("metrics") = metric_list());
      },
      "Faults, mitigations (with their parameters) and metrics, as `faultline list` prints "
      "them.");
}

}  // namespace faultline::python
