"""The Python API: scenarios built and changed in Python, run options, frames, files,
the catalogue, progress — each checked against what faultline itself says."""

from __future__ import annotations

import datetime
import json
import logging
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import faultline
from conftest import SOURCE, read_json, run_cli

SMALL = SOURCE / "tests/data/small.yaml"
SCENARIO_FILES = sorted((SOURCE / "scenarios").glob("*.yaml")) + sorted((SOURCE / "tests/data").glob("*.yaml"))


@pytest.fixture(scope="module")
def small():
    return faultline.load_scenario(SMALL).with_(population={"borrowers": 3000})


@pytest.fixture(scope="module")
def results(small):
    return faultline.run(small, replications=3, jobs=2, progress=False)


# --- scenarios ------------------------------------------------------------------------


def test_load_from_yaml_and_from_dict_are_one_scenario():
    text = SMALL.read_text()
    loaded = faultline.load_scenario(SMALL)
    assert faultline.Scenario.from_yaml(text, file=str(SMALL)) == loaded
    assert faultline.Scenario.from_file(SMALL) == loaded
    assert loaded.name == "small" and loaded.strategies == ["baseline", "failover"]
    assert loaded.reference_strategy == "baseline"
    assert loaded.seed == 7 and loaded.replications == 4 and loaded.borrowers == 20000
    assert loaded.horizon_s == 15 * 86400
    assert loaded.faults[0]["type"] == "vendor_outage"
    assert loaded.faults[0]["params"]["duration"] == "2d"
    assert not loaded.edited


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_to_dict_and_back_is_the_same_scenario(path):
    s = faultline.load_scenario(path)
    tree = s.to_dict()
    json.dumps(tree)  # plain Python values
    again = faultline.Scenario.from_dict(tree, file=s.file)
    for attr in ("name", "seed", "replications", "confidence", "horizon_s", "borrowers",
                 "engine", "strategies", "faults", "sweep", "expectations"):
        if attr in ("faults", "expectations", "sweep"):  # lines move: the text is re-written
            strip = lambda items: [{k: v for k, v in d.items() if k != "line"} for d in items]
            assert strip(getattr(again, attr)) == strip(getattr(s, attr)), attr
        else:
            assert getattr(again, attr) == getattr(s, attr), attr
    assert again.to_dict() == tree


def test_round_trip_runs_the_same_numbers(small):
    again = faultline.Scenario.from_dict(small.to_dict(), file=small.file)
    a = faultline.run(small, replications=2, progress=False)
    b = faultline.run(again, replications=2, progress=False)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.runs, b.runs)


def test_with_merges_dicts_and_keeps_the_rest(small):
    changed = small.with_(population={"borrowers": 2500})
    assert changed.borrowers == 2500
    assert changed.to_dict()["population"]["due_day"] == "uniform(5, 8)"  # kept
    assert changed.edited and changed.file == small.file  # already edited: not renamed twice
    assert small.borrowers == 3000  # immutable
    assert small.with_() is small


def test_key_paths_in_both_spellings(small):
    a = small.with_({"faults.0.duration": "12h"})
    b = small.with_({"faults[0].duration": "12h"})
    assert a == b and a.faults[0]["params"]["duration"] == "12h"
    c = small.with_({"strategies.failover.vendor_failover.window": datetime.timedelta(minutes=5)})
    assert c.to_dict()["strategies"]["failover"]["vendor_failover"]["window"] == "5m"
    d = small.with_({"faults.1": {"type": "vendor_outage", "target": "beta", "at": "5d", "duration": "1h"}})
    assert [f["params"]["target"] for f in d.faults] == ["alpha", "beta"]  # appended
    e = d.with_({"faults.1": None})
    assert len(e.faults) == 1
    f = small.with_({"strategies.failover": None})
    assert f.strategies == ["baseline"]


def test_timedeltas_become_durations(small):
    s = small.with_({"faults.0.duration": datetime.timedelta(days=1, hours=12)})
    assert s.faults[0]["params"]["duration"] == "36h"


def test_validate_checks_what_run_checks(small):
    assert small.validate() is small
    assert small.validate(replications=2, seed=3) is small
    swept = small.with_(sweep={"faults[0].duration": ["1h", "2h"]})
    swept.validate()
    bad_point = small.with_(expect=[{"metric": "missed_payment_rate", "assert": "< 5%", "point": 3}])
    with pytest.raises(faultline.ScenarioError, match="point 3"):
        bad_point.validate()


def test_save_gives_a_file_that_reproduces(small, tmp_path):
    saved = small.save(tmp_path / "mine.yaml")
    assert saved.file == str(tmp_path / "mine.yaml") and not saved.edited
    assert saved.text == small.text
    r = faultline.run(saved, seed=3, replications=2, progress=False)
    assert r.reproduce == f"faultline run {saved.file} --seed 3 --replications 2"
    assert read_json_text(r.to_json())["reproduce"] == r.reproduce


def read_json_text(text: str) -> dict:
    return json.loads(text)


# --- running --------------------------------------------------------------------------


def test_run_accepts_a_path(small, tmp_path):
    path = small.save(tmp_path / "s.yaml").file
    r = faultline.run(path, replications=1, progress=False)
    assert r.name == "small" and r.scenario == faultline.load_scenario(path)
    assert r.replications == 1 and r.scenario.replications == 4  # the options are the run's


def test_jobs_change_no_number(small):
    one = faultline.run(small, replications=3, jobs=1, progress=False)
    two = faultline.run(small, replications=3, jobs=2, progress=False)
    assert one.to_json() == two.to_json()


def test_strategies_runs_a_subset_with_the_same_numbers(small, results):
    with pytest.warns(UserWarning) if small.expectations else _nothing():
        only = faultline.run(small, replications=3, strategies=["failover"], progress=False)
    assert only.strategies == ["failover"]
    full = results.summary.query("strategy == 'failover'").reset_index(drop=True)
    part = only.summary.reset_index(drop=True)
    pd.testing.assert_frame_equal(full[["metric", "mean", "ci_low", "ci_high", "n"]],
                                  part[["metric", "mean", "ci_low", "ci_high", "n"]])


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_strategies_drops_expectations_about_the_others(tmp_path):
    s = faultline.load_scenario(SOURCE / "tests/data/expect.yaml").with_(population={"borrowers": 2000})
    named = {e["strategy"] for e in s.expectations} - {"all"}
    assert named
    keep = [n for n in s.strategies if n not in named][:1] or s.strategies[:1]
    with pytest.warns(UserWarning, match="left out"):
        r = faultline.run(s, replications=2, strategies=keep, progress=False)
    assert set(r.expectations["strategy"]) <= set(keep)


def test_sequential_sampling_and_rounds(small, caplog):
    caplog.set_level(logging.INFO, logger="faultline")
    r = faultline.run(small, replications=2, until_ci_halfwidth={"missed_payment_rate": "0.1%"},
                      max_replications=8, progress=False)
    assert r.rounds[0] == 2 and len(r.rounds) > 1 and r.rounds[-1] <= 8
    assert r.precision["replications"] == r.rounds[-1]
    assert "extending to" in caplog.text
    assert set(r.expectations["kind"]) == {"precision"}


def test_baseline_from_an_earlier_results(tmp_path):
    s = faultline.load_scenario(SOURCE / "scenarios/flagship-vendor-outage.yaml").with_(
        population={"borrowers": 3000})
    first = faultline.run(s, replications=2, progress=False)
    second = faultline.run(s, replications=2, baseline=first, progress=False)
    deltas = second.expectations.query("assertion.str.startswith('delta')", engine="python")
    assert len(deltas) and set(deltas["verdict"]) == {"PASS"}
    assert set(deltas["pairing"]) == {"paired"}
    assert (deltas["estimate"] == 0).all()  # the same scenario and seeds: exactly Δ = 0
    skipped = first.expectations.query("assertion.str.startswith('delta')", engine="python")
    assert set(skipped["verdict"]) == {"SKIPPED"}


# --- results --------------------------------------------------------------------------


def test_frames_have_results_json_vocabulary(results):
    doc = results.document
    assert list(results.summary.columns) == ["point", "strategy", "metric", "unit", "mean", "sd",
                                             "ci_low", "ci_high", "half_width", "n"]
    metric_names = [m["name"] for m in doc["metrics"]]
    assert len(results.summary) == 2 * len(metric_names)
    assert list(results.differences["strategy"].unique()) == ["failover"]
    assert set(results.differences["reference"]) == {"baseline"}
    assert len(results.runs) == 2 * 3
    assert list(results.runs.columns[:6]) == ["point", "strategy", "replication", "run_seed", "events", metric_names[0]]
    assert results.runs["run_seed"].dtype == "uint64"
    series = doc["points"][0]["strategies"][0]["series"]
    assert len(results.timeseries) == 2 * sum(len(v) for v in series.values())
    assert set(results.latency["channel"]) >= {"all", "sms"}
    assert results.latency.groupby(["strategy", "channel"])["p"].max().max() <= 1.0
    fw = results.fault_windows
    assert list(fw[["type", "target", "start_s", "end_s"]].iloc[0]) == ["vendor_outage", "alpha", 4 * 86400 + 20 * 3600, 6 * 86400 + 20 * 3600]
    assert list(results.metrics["name"]) == metric_names


def test_runs_match_the_summary(results):
    """The per-replication values give the summary's means (nothing lost on the way)."""
    means = results.runs.groupby("strategy")["missed_payment_rate"].mean()
    summary = results.summary.query("metric == 'missed_payment_rate'").set_index("strategy")["mean"]
    for strategy in ("baseline", "failover"):
        assert means[strategy] == pytest.approx(summary[strategy], rel=1e-12)


def test_save_and_load_results_give_the_same_frames(results, tmp_path):
    path = results.save(tmp_path / "out", report=True)
    # The set's generation folder (.faultline-outputs, docs/reliability.md) is hidden.
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name[0] != ".") == [
        "report.html", "results.csv", "results.json", "runs.jsonl"]
    loaded = faultline.load_results(path)
    assert loaded.source == path and loaded.scenario is None
    for frame in ("summary", "differences", "runs", "timeseries", "latency", "fault_windows",
                  "expectations", "points", "metrics"):
        pd.testing.assert_frame_equal(getattr(loaded, frame), getattr(results, frame), obj=frame)
    assert loaded.to_json() == results.to_json()
    assert loaded.to_csv() == results.to_csv()
    # faultline report of the saved file = Results.report of the loaded one.
    run_cli("report", path, "-o", str(tmp_path / "cli.html"))
    assert loaded.report() == (tmp_path / "cli.html").read_text(encoding="utf-8")


def test_load_results_without_runs_jsonl(results, tmp_path):
    results.to_json(tmp_path / "results.json")
    loaded = faultline.load_results(tmp_path / "results.json")
    assert len(loaded.summary) == len(results.summary)
    with pytest.raises(FileNotFoundError, match="runs.jsonl"):
        loaded.runs


def test_expectations_are_the_cli_verdicts(tmp_path):
    s = faultline.load_scenario(SOURCE / "tests/data/expect.yaml")
    r = faultline.run(s, replications=2, progress=False)
    cli = run_cli("run", s.file, "--replications", "2", "--out", str(tmp_path / "cli"))
    verdicts = ("PASS", "FAIL", "INCONCLUSIVE", "SKIPPED")
    lines = [line for line in cli.stdout.splitlines() if line.strip().split(" ")[0].rstrip("*") in verdicts]
    assert len(lines) == len(r.expectations) > 0
    for line, (_, row) in zip(lines, r.expectations.iterrows()):
        assert line.split()[0].rstrip("*") == row["verdict"] and row["name"] in line
        assert line.rstrip().endswith(f"{s.file}:{row['line']}") or f"{s.file}:{row['line']}" in line
    assert r.failed == (cli.returncode == 1)


def test_repr_html_shows_the_cli_table(results):
    page = results._repr_html_()
    cli_columns = results._core.headline_metrics
    assert cli_columns == ["missed_payment_rate", "late_payment_rate", "notification_loss_rate",
                           "reminders_delivered"]
    for word in ["baseline", "failover", "Δ vs baseline", *cli_columns, "±"]:
        assert word in page
    assert "small" in repr(results) and "3 replications" in repr(results)


def test_catalogue_is_faultline_list(cli):
    c = faultline.catalogue()
    listed = run_cli("list", "metrics").stdout
    assert [line.split(" ")[0] for line in listed.splitlines()] == list(c.metrics["name"])
    faults = run_cli("list", "faults").stdout
    names = [line.split(" — ")[0] for line in faults.splitlines() if not line.startswith(" ")]
    assert names == list(dict.fromkeys(c.faults["name"]))
    vo = c.faults.query("name == 'vendor_outage'").set_index("parameter")
    assert vo.loc["mode", "default"] == "silent_drop" and "backlog" in vo.loc["mode", "choices"]
    assert bool(vo.loc["target", "required"]) and vo.loc["target", "default"] is None
    assert "vendor_failover" in set(c.mitigations["name"])
    # Issue 12's names: one per concept, plug-ins own their effect text and engine.
    retry = c.mitigations.query("name == 'notification_retry'")
    assert "max_retries" in set(retry["parameter"]) and "max_attempts" not in set(retry["parameter"])
    renamed = next(p for p in c.raw["mitigations"] if p["name"] == "notification_retry")["renamed"]
    assert {"parameter": "max_retries", "old_name": "max_attempts", "old_value": None,
            "new_value": None} in renamed
    effects = run_cli("list", "faults", "--format", "markdown", "--table", "effects").stdout
    for row in c.fault_effects.itertuples():
        suffix = " (engine: simgrid)" if row.engine == "simgrid" else ""
        assert f"| `{row.name}`{suffix} | {row.effect} |" in effects
    assert set(c.fault_effects["engine"]) == {"any", "simgrid"}
    assert list(c.mitigation_effects["name"]) == list(dict.fromkeys(c.mitigations["name"]))


def test_deprecated_keys_warn_with_their_location():
    # Old spellings (dlr_*, max_attempts) are read for one release, as by the CLI, with
    # its located warning as a Python warning (a notebook shows it; the C++ stderr it
    # would otherwise go to is not the notebook's).
    text = SMALL.read_text().replace(
        "failover: {vendor_failover: {secondary: beta, window: 15m}}",
        "failover: {vendor_failover: {secondary: beta, window: 15m}}\n"
        "  retry: {notification_retry: {max_attempts: 3}}")
    with pytest.warns(faultline.DeprecatedKeyWarning) as caught:
        s = faultline.Scenario.from_yaml(text, file="old.yaml")
    assert [str(w.message) for w in caught] == s.warnings
    assert s.warnings == ["old.yaml:23:32: warning: strategies.retry.notification_retry."
                          "max_attempts is deprecated: write max_retries (the old name is "
                          "accepted until the next release)"]
    assert caught[0].filename == __file__  # points at the caller
    assert issubclass(faultline.DeprecatedKeyWarning, FutureWarning)  # shown by default
    assert s.to_dict()["strategies"]["retry"] == {"notification_retry": {"max_attempts": 3}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new spelling, set from Python: no warning
        new = s.with_({"strategies.retry.notification_retry": {"max_retries": 3}})
    assert new.warnings == [] and new.to_dict()["strategies"]["retry"] == {
        "notification_retry": {"max_retries": 3}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert faultline.load_scenario(SMALL).warnings == []  # current names: silent


# --- progress -------------------------------------------------------------------------


def test_progress_callback_counts_every_run(small):
    seen = []
    faultline.run(small, replications=3, jobs=2, progress=lambda d, p: seen.append((d, p)))
    assert seen[-1] == (6, 6)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    assert all(p == 6 for _, p in seen)


def test_tqdm_bar_when_installed(small, capfd):
    pytest.importorskip("tqdm", reason="python3-tqdm is installed by scripts/setup.sh --test")
    faultline.run(small, replications=2, progress=None)
    err = capfd.readouterr().err
    assert "small" in err and "4/4" in err


def test_silent_without_tqdm(small, capfd, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if not installed
    faultline.run(small, replications=2)
    assert capfd.readouterr().err == ""
    with pytest.raises(ImportError, match="tqdm"):
        faultline.run(small, replications=2, progress=True)
    faultline.run(small, replications=2, progress=False)
    assert capfd.readouterr().err == ""


def test_the_compiled_module_needs_no_pandas(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['pandas'] = None  # pandas cannot be imported\n"
        "import faultline\n"
        f"r = faultline.run({str(SMALL)!r}, replications=1, jobs=2, progress=False)\n"
        "assert r.document['points'][0]['strategies'][0]['name'] == 'baseline'\n"
        "assert r.to_json().startswith('{')\n"
        "try:\n"
        "    r.summary\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "python3-pandas" in done.stdout


def test_cycles_frame_has_every_cycle(small):
    """population.cycles > 1: one run records every cycle (results.json ``cycles``)."""
    r = faultline.run(small.with_(population={"cycles": 3}), replications=2, progress=False)
    doc = r.document
    per_cycle = doc["points"][0]["strategies"][0]["cycles"]
    assert [c["cycle"] for c in per_cycle] == [1, 2, 3]
    frame = r.cycles
    assert list(frame.columns) == ["point", "strategy", "cycle", "metric", "unit", "mean", "sd",
                                   "ci_low", "ci_high", "half_width", "n"]
    assert len(frame) == 2 * 3 * len(per_cycle[0]["metrics"])
    last = frame[(frame.strategy == "baseline") & (frame.cycle == 3) & (frame.metric == "ever_30dpd_rate")]
    end = r.summary[(r.summary.strategy == "baseline") & (r.summary.metric == "ever_30dpd_rate")]
    assert last["mean"].item() == end["mean"].item()
    assert set(r.cycle_differences["strategy"]) == {"failover"}
    assert faultline.run(small, replications=1, progress=False).cycles.empty
