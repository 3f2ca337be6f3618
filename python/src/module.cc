// faultline._core: the compiled half of the `faultline` Python package (bindings.h).
#include "faultline/version.h"
#include "python/src/bindings.h"

PYBIND11_MODULE(_core, m) {
  using namespace faultline::python;
  m.doc() =
      "faultline's simulator, pipeline, outputs and report, bound for Python. Use the "
      "`faultline` package; this module is its compiled half and needs no pandas.";
  m.attr("__version__") = faultline::kToolVersion;
  m.attr("git_revision") = faultline::kGitRevision;
  bind_errors(m);
  bind_scenario(m);
  bind_experiment(m);
  bind_results(m);
  bind_catalogue(m);
}
