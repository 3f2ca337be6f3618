"""Bad input from Python raises faultline's errors with the location — never a crash.

Unknown keys, wrong types, out-of-range values, broken YAML, paths that name nothing,
bad options, unreadable files: each raises ScenarioError (file, line, column, message,
and the offending line's text for scenarios built in Python) or OptionError naming the
keyword, like the CLI's exit-2 errors — and the interpreter goes on working afterwards.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

import faultline
from conftest import SOURCE


@pytest.fixture(scope="module")
def base():
    return faultline.load_scenario(SOURCE / "tests/data/small.yaml")


def located(error: faultline.ScenarioError, file: str, line: int | None = None):
    assert error.file == file
    if line is not None:
        assert error.line == line
        assert error.column >= 1
        assert str(error).startswith(f"{file}:{line}:{error.column}: ")
    assert error.message and error.message in str(error)


def test_unknown_key_names_the_line_and_suggests(base):
    with pytest.raises(faultline.ScenarioError) as e:
        base.with_(population={"borowers": 10})
    err = e.value
    located(err, base.file + " (edited)", err.line)
    assert err.line is not None and "borowers" in err.source_line
    assert "borrowers" in err.message  # the closest key, suggested


def test_wrong_type(base):
    with pytest.raises(faultline.ScenarioError) as e:
        base.with_(population={"borrowers": "many"})
    assert "population.borrowers" in e.value.message
    assert "many" in e.value.source_line


def test_negative_borrowers(base):
    with pytest.raises(faultline.ScenarioError) as e:
        base.with_(population={"borrowers": -5})
    located(e.value, base.file + " (edited)", e.value.line)
    assert e.value.source_line.strip() == "borrowers: -5"
    assert "population.borrowers" in e.value.message


def test_from_yaml_syntax_error_has_line_and_column():
    text = "scenario: x\nhorizon: 10d\npopulation: {borrowers: 10\n"
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.Scenario.from_yaml(text, file="mine.yaml")
    assert e.value.file == "mine.yaml" and e.value.line is not None


def test_from_dict_errors_point_into_the_generated_text(base):
    tree = base.to_dict()
    tree["faults"][0]["mode"] = "loud_drop"
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.Scenario.from_dict(tree)
    assert e.value.file == "<dict>"
    assert "loud_drop" in e.value.source_line and "silent_drop" in e.value.message


def test_values_python_cannot_put_in_a_scenario(base):
    with pytest.raises(TypeError, match="population.borrowers"):
        base.with_(population={"borrowers": object()})
    with pytest.raises(ValueError, match="not a number"):
        base.with_(population={"borrowers": math.nan})
    with pytest.raises(TypeError, match="keys must be strings"):
        faultline.Scenario.from_dict({1: 2})


def test_a_path_that_names_nothing(base):
    with pytest.raises(faultline.ScenarioError) as e:
        base.with_({"strategies.failovr.vendor_failover.window": "5m"})
    assert "did you mean 'failover'" in e.value.message
    assert e.value.file == base.file and e.value.line is not None
    with pytest.raises(faultline.ScenarioError, match="past the end"):
        base.with_({"faults.3.duration": "1h"})
    with pytest.raises(ValueError, match="not a key path"):
        base.with_({"faults..duration": "1h"})


def test_missing_file_names_the_path(tmp_path):
    path = str(tmp_path / "nope.yaml")
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.load_scenario(path)
    assert e.value.file == path and e.value.line is None and "cannot open" in e.value.message


def test_file_errors_carry_the_line_text(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text((SOURCE / "tests/data/small.yaml").read_text().replace("horizon: 15d", "horizon: 15 days"))
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.load_scenario(path)
    assert e.value.file == str(path)
    assert e.value.source_line == "horizon: 15 days"


@pytest.mark.parametrize(
    "options, option",
    [
        ({"seed": -1}, "seed"),
        ({"seed": 2**64}, "seed"),
        ({"seed": "7"}, "seed"),
        ({"replications": 0}, "replications"),
        ({"replications": 2.5}, "replications"),
        ({"jobs": 0}, "jobs"),
        ({"engine": "warp"}, "engine"),
        ({"until_ci_halfwidth": "missed_payment_rat=0.1%"}, "until_ci_halfwidth"),
        ({"until_ci_halfwidth": {"missed_payment_rate": "-1%"}}, "until_ci_halfwidth"),
        ({"max_replications": 10}, "max_replications"),
        ({"only_replication": 4}, "only_replication"),
        ({"strategies": ["failover", "nope"]}, "strategies"),
    ],
)
def test_bad_options_name_the_keyword(base, options, option):
    with pytest.raises(faultline.OptionError) as e:
        faultline.run(base, progress=False, **options)
    assert str(e.value).startswith(option + ":") or str(e.value).startswith(option)


def test_a_bad_baseline_is_a_scenario_error_naming_the_file(base, tmp_path):
    bad = tmp_path / "results.json"
    bad.write_text("{}")
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.run(base, baseline=bad, replications=1, progress=False)
    assert e.value.file == str(bad)


def test_load_results_of_something_else(tmp_path):
    with pytest.raises(faultline.ScenarioError, match="not valid JSON"):
        (tmp_path / "x.json").write_text("nope")
        faultline.load_results(tmp_path / "x.json")


def test_a_bad_sweep_is_reported_at_the_sweep(base):
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.sweep(base, {"faults.0.duraton": ["1h", "2h"]}, progress=False)
    assert "duraton" in e.value.message and e.value.line is not None
    with pytest.raises(faultline.ScenarioError) as e:
        faultline.sweep(base, {"faults.0.duration": ["1h", "forever"]}, progress=False)
    assert "forever" in e.value.message


def test_output_paths_that_cannot_be_written(base, tmp_path):
    r = faultline.run(base.with_(population={"borrowers": 500}), replications=1, progress=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(faultline.OutputError, match="file"):
        r.to_json(tmp_path / "file" / "results.json")
    with pytest.raises(OSError):  # OutputError is an OSError
        r.report(tmp_path / "file" / "r.html")


def test_the_interpreter_survives_every_error():
    """All of the above in a fresh interpreter, which must exit normally afterwards."""
    code = (
        "import faultline\n"
        f"s = faultline.load_scenario({str(SOURCE / 'tests/data/small.yaml')!r})\n"
        "errors = 0\n"
        "for bad in [{'population.borrowers': -1}, {'horizon': 'x'}, {'faults': 5},"
        " {'strategies': {}}, {'reminders': [{'before_due': '1d', 'channel': 'fax'}]}]:\n"
        "    try:\n"
        "        s.with_(bad)\n"
        "    except faultline.ScenarioError:\n"
        "        errors += 1\n"
        "print(errors)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "5"
