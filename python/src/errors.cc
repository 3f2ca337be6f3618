// faultline's errors as Python exceptions. Bad input never crashes the interpreter: a
// scenario error is a ScenarioError with file, line, column and message (the CLI's
// `file:line:col: message` is its str()), a bad option an OptionError naming the keyword,
// an output path that cannot be written an OutputError (an OSError), a runaway run a
// RunLimitError with the seed to reproduce it.
#include <string_view>

#include "python/src/bindings.h"
#include "sim/model/world.h"
#include "sim/output/atomic_file.h"
#include "sim/pipeline/experiment.h"

namespace faultline::python {

namespace {

// The types live as long as the module; these handles borrow them.
PyObject* scenario_error = nullptr;
PyObject* option_error = nullptr;
PyObject* output_error = nullptr;
PyObject* run_limit_error = nullptr;

py::object line_of(const std::string& text, int line) {
  if (line <= 0) return py::none();
  std::size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return py::none();
    ++start;
  }
  const std::size_t end = text.find('\n', start);
  return py::str(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
}

// Sets the Python error (the exception translator must set it, not throw).
void set_scenario_error(const ScenarioError& e, const std::string* text) {
  py::object error = py::reinterpret_borrow<py::object>(scenario_error)(e.what());
  error.attr("file") = e.file();
  error.attr("line") = e.loc().line > 0 ? py::object(py::int_(e.loc().line)) : py::none();
  error.attr("column") = e.loc().line > 0 ? py::object(py::int_(e.loc().column)) : py::none();
  error.attr("message") = e.message();
  error.attr("source_line") = text ? line_of(*text, e.loc().line) : py::none();
  PyErr_SetObject(scenario_error, error.ptr());
}

void set_option_error(const std::string& option, const std::string& message) {
  py::object error = py::reinterpret_borrow<py::object>(option_error)(option + ": " + message);
  error.attr("option") = option;
  error.attr("message") = message;
  PyErr_SetObject(option_error, error.ptr());
}

}  // namespace

void raise_scenario_error(const ScenarioError& e, const std::string* text) {
  py::gil_scoped_acquire gil;
  set_scenario_error(e, text);
  throw py::error_already_set();
}

void raise_option_error(const std::string& option, const std::string& message) {
  py::gil_scoped_acquire gil;
  set_option_error(option, message);
  throw py::error_already_set();
}

void bind_errors(py::module_& m) {
  const auto make = [&](const char* name, PyObject* base, const char* doc) {
    PyObject* type = PyErr_NewExceptionWithDoc((std::string("faultline._core.") + name).c_str(),
                                               doc, base, nullptr);
    if (!type) throw py::error_already_set();
    m.attr(name) = py::reinterpret_steal<py::object>(type);
    return type;
  };
  scenario_error = make("ScenarioError", PyExc_ValueError,
                        "A scenario that cannot be used: str() is 'file:line:col: message'; the "
                        "attributes file, line, column (None when the error has no position), "
                        "message and source_line (the line's text, for scenarios built in "
                        "Python) say where and what.");
  option_error = make("OptionError", PyExc_ValueError,
                      "A bad keyword argument of run() or sweep(): attributes option (the "
                      "keyword) and message.");
  output_error =
      make("OutputError", PyExc_OSError, "A file that cannot be written: the path and the reason.");
  run_limit_error = make("RunLimitError", PyExc_RuntimeError,
                         "A run that reached limits.max_events; the message names the seed to "
                         "reproduce it.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ScenarioError& e) {
      set_scenario_error(e, nullptr);
    } catch (const OptionError& e) {
      // The pipeline names CLI flags ("until-ci-halfwidth"); Python's keywords use '_'.
      std::string option = e.option;
      for (char& c : option) c = c == '-' ? '_' : c;
      std::string message = e.what();
      const std::string flag = "--" + e.option + " ";
      if (message.rfind(flag, 0) == 0) message = message.substr(flag.size());
      set_option_error(option, message);
    } catch (const OutputError& e) {
      PyErr_SetString(output_error, e.what());
    } catch (const RunLimitError& e) {
      PyErr_SetString(run_limit_error, e.what());
    } catch (const Cancelled& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
}

}  // namespace faultline::python
