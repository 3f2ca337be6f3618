// The pieces of faultline._core, the compiled half of the Python package (docs/python.md).
// It binds the libraries the CLI uses — the scenario parser, the pipeline object
// `Experiment`, the outputs and the report — and adds only what Python needs around
// them: conversions between YAML trees and Python values, GIL release and
// KeyboardInterrupt around a run, and Python exceptions for faultline's errors. It needs
// no pandas: the DataFrames are built by the pure-Python layer (python/faultline/).
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "sim/scenario/error.h"

namespace faultline::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_scenario(py::module_& m);
void bind_experiment(py::module_& m);
void bind_results(py::module_& m);
void bind_catalogue(py::module_& m);

// Raises faultline.ScenarioError (file, line, column, message; `source_line` from `text`
// when the scenario came from memory, so a notebook can show the offending line).
[[noreturn]] void raise_scenario_error(const ScenarioError& e, const std::string* text = nullptr);
// Raises faultline.OptionError for the option named (Python's keyword, e.g. "replications").
[[noreturn]] void raise_option_error(const std::string& option, const std::string& message);

}  // namespace faultline::python
