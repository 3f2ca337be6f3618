"""faultline.run gives the numbers the CLI's results.json has at the same seed.

Every scenario of scenarios/ (payment side, SimGrid engine, a sweep among them) and the
test scenarios, made small (fewer borrowers) and saved to a file, run by the CLI and by
Python with the same options: every estimate compared exactly (==, no tolerance), and,
since both name the same file, results.json, runs.jsonl, results.csv and the HTML report
byte for byte. Then faultline.sweep() against the CLI on a file with the same sweep block.
"""

from __future__ import annotations

import math

import pytest

import faultline
from conftest import SANITIZED, SOURCE, estimates, read_json, run_cli

SCENARIOS = sorted(str(p.relative_to(SOURCE)) for p in (SOURCE / "scenarios").glob("*.yaml")) + [
    "tests/data/small.yaml",
    "tests/data/sweep.yaml",
    "tests/data/expect.yaml",
]


def small_copy(relative: str, folder):
    s = faultline.load_scenario(SOURCE / relative)
    if s.engine == "simgrid" and SANITIZED:
        pytest.skip(
            "the SimGrid engine forks per run; under ASan a fork while the interpreter's "
            "thread holds the allocator lock can hang the child (runner.cc runs SimGrid "
            "from the main thread under ASan; in Python the run has its own thread)"
        )
    borrowers = min(s.borrowers, 3000)
    changes = {"population": {"borrowers": borrowers}}
    # The platform file of a SimGrid scenario is relative to the scenario's folder.
    tree = s.to_dict()
    platform = tree.get("infrastructure", {}).get("platform")
    if platform and not str(platform).startswith("/"):
        changes["infrastructure"] = {"platform": str((SOURCE / relative).parent / platform)}
    return s.with_(**changes).save(folder / f"{s.name}.yaml")


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


@pytest.mark.parametrize("relative", SCENARIOS)
def test_run_gives_the_cli_numbers(relative, tmp_path):
    scenario = small_copy(relative, tmp_path)
    options = ["--seed", "99", "--replications", "2", "--jobs", "2"]
    out = tmp_path / "cli"
    run_cli("run", scenario.file, *options, "--out", str(out), "--report", str(tmp_path / "cli.html"))
    cli = read_json(out / "results.json")

    r = faultline.run(scenario.file, seed=99, replications=2, jobs=2, progress=False)

    # Every estimate, exactly.
    expected, got = estimates(cli), estimates(r.document)
    assert expected.keys() == got.keys()
    for key, e in expected.items():
        for field in ("mean", "sd", "ci_low", "ci_high", "half_width", "n"):
            assert same(got[key][field], e[field]), (key, field, got[key][field], e[field])
    # The DataFrame holds the same numbers (no rounding on the way).
    frame = r.summary.set_index(["point", "strategy", "metric"])
    for (point, strategy, kind, metric), e in expected.items():
        if kind != "metrics":
            continue
        row = frame.loc[(point, strategy, metric)]
        for field in ("mean", "ci_low", "ci_high", "half_width"):
            value = e[field]
            if value is None:
                assert math.isnan(row[field])
            else:
                assert row[field] == value
        assert row["n"] == e["n"]
    # The same file and options: the same bytes.
    assert r.to_json() == (out / "results.json").read_text(encoding="utf-8")
    assert r._core.runs == (out / "runs.jsonl").read_text(encoding="utf-8")
    assert r.to_csv() == (out / "results.csv").read_text(encoding="utf-8")
    assert r.report() == (tmp_path / "cli.html").read_text(encoding="utf-8")


def test_sweep_gives_the_cli_numbers(tmp_path):
    """faultline.sweep(scenario, axes) = the CLI on the scenario with that sweep block."""
    base = faultline.load_scenario(SOURCE / "tests/data/small.yaml").with_(
        population={"borrowers": 3000}
    )
    axes = {"faults.0.duration": ["12h", "2d"], "infrastructure.vendors.beta.capacity": ["100/s", "300/s"]}
    r = faultline.sweep(base, axes, seed=5, replications=2, jobs=2, progress=False)

    written = base.with_({"sweep": {"faults[0].duration": ["12h", "2d"],
                                    "infrastructure.vendors.beta.capacity": ["100/s", "300/s"]}})
    path = written.save(tmp_path / "swept.yaml").file
    run_cli("run", path, "--seed", "5", "--replications", "2", "--out", str(tmp_path / "cli"))
    cli = read_json(tmp_path / "cli" / "results.json")

    assert len(cli["points"]) == 4
    expected, got = estimates(cli), estimates(r.document)
    assert expected.keys() == got.keys()
    for key, e in expected.items():
        for field in ("mean", "sd", "ci_low", "ci_high", "half_width", "n"):
            assert same(got[key][field], e[field]), (key, field)
    # One tidy frame over all points, a column per swept path (numbers: seconds, per second).
    missed = r.summary.query("metric == 'missed_payment_rate'")
    assert len(missed) == 4 * 2
    assert sorted(set(missed["faults[0].duration"])) == [12 * 3600.0, 2 * 86400.0]
    assert sorted(set(missed["infrastructure.vendors.beta.capacity"])) == [100.0, 300.0]
    assert list(r.points.columns) == ["point", "faults[0].duration", "infrastructure.vendors.beta.capacity"]
