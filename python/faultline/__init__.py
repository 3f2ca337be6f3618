"""faultline for notebooks: run scenarios, get results as pandas DataFrames.

The simulator, the pipeline (validation, sweeps, replications, verdicts) and the outputs
are faultline's own C++ libraries, the ones the `faultline` command uses, in the
compiled module ``faultline._core``; this package adds the DataFrames. Names follow the
CLI and results.json (docs/python.md)::

    import faultline
    s = faultline.load_scenario("scenarios/flagship-vendor-outage.yaml")
    r = faultline.run(s, replications=5)
    r.summary                                   # point, strategy, metric, mean, ci_low, ...
    r.differences.query("metric == 'missed_payment_rate'")
    faultline.sweep(s, {"faults[0].duration": ["6h", "24h", "48h"]}).summary
"""

from faultline._core import OptionError, OutputError, RunLimitError, ScenarioError
from faultline._core import __version__, git_revision
from faultline._catalogue import Catalogue, catalogue
from faultline._results import Results, load_results
from faultline._run import run, sweep
from faultline._scenario import DeprecatedKeyWarning, Scenario, load_scenario

# Errors read as faultline's own in tracebacks.
for _error in (OptionError, OutputError, RunLimitError, ScenarioError, DeprecatedKeyWarning):
    _error.__module__ = "faultline"
del _error

__all__ = [
    "Catalogue",
    "DeprecatedKeyWarning",
    "OptionError",
    "OutputError",
    "Results",
    "RunLimitError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "catalogue",
    "git_revision",
    "load_results",
    "load_scenario",
    "run",
    "sweep",
]
