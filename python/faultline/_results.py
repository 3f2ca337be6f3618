"""Results: an experiment's outputs as pandas DataFrames.

Every frame is built from results.json and runs.jsonl as faultline writes them (the
CLI's bytes, held by the compiled module), so the columns are results.json's words —
``point``, ``strategy``, ``metric``, ``mean``, ``sd``, ``ci_low``, ``ci_high``,
``half_width``, ``n`` — and a run and ``load_results`` of its files give equal frames.
Sweeps add one column per swept path holding the point's value as a number where it is
one (results.json's ``parameter_values``: durations in seconds, percentages as
fractions, rates per second), else as written.
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
from typing import Any

from faultline import _core


def _pandas():
    try:
        import pandas
    except ImportError as e:  # the compiled module works without it; the frames do not
        raise ImportError(
            "faultline's DataFrames need pandas (Debian: python3-pandas; or pip install pandas)"
        ) from e
    return pandas


def load_results(path: str | os.PathLike, baseline: str | os.PathLike | None = None) -> "Results":
    """Reads a results.json written by ``faultline run``/``check`` (or Results.save), with
    the runs.jsonl beside it, and judges its scenario's expectations as ``faultline
    report`` does (``baseline``: for ``delta`` expectations, as --baseline)."""
    return Results(
        _core.load_results(os.fspath(path), None if baseline is None else os.fspath(baseline))
    )


class Results:
    """What an experiment produced: DataFrames (summary, differences, runs, timeseries,
    latency, fault_windows, expectations, points, metrics, cycles, cycle_differences), the
    results.json document, and the same files and HTML report ``faultline run`` writes."""

    def __init__(self, core: _core.Results, scenario=None):
        self._core = core
        self._scenario = scenario

    # --- the document -----------------------------------------------------------------

    @functools.cached_property
    def document(self) -> dict:
        """results.json as Python values (docs/results-schema.md)."""
        return json.loads(self._core.json)

    name = property(lambda self: self.document["scenario"]["name"], doc="the scenario's name")
    seed = property(lambda self: self.document["seed"])
    replications = property(lambda self: self.document["replications"])
    confidence = property(lambda self: self.document["confidence"])
    reference_strategy = property(lambda self: self.document["reference_strategy"])
    reproduce = property(
        lambda self: self._core.reproduce, doc="the faultline command that gives these numbers"
    )
    rounds = property(
        lambda self: list(self._core.rounds), doc="replications reached after each round"
    )
    source = property(
        lambda self: self._core.source or None, doc="the results.json read, or None for a run"
    )
    failed = property(
        lambda self: self._core.failed,
        doc="an expectation failed (the CLI would exit 1)",
    )

    @property
    def strategies(self) -> list[str]:
        return [s["name"] for s in self.document["points"][0]["strategies"]]

    @property
    def precision(self) -> dict | None:
        """Sequential sampling's outcome (results.json ``precision``), or None."""
        return self.document.get("precision")

    @property
    def scenario(self):
        """The Scenario that ran, as given to run() (its options — seed, replications —
        are this object's); None for loaded results."""
        return self._scenario

    @functools.cached_property
    def _axes(self) -> list[str]:
        sweep = self.document.get("sweep") or {}
        return [a["path"] for a in sweep.get("axes", [])]

    def _point_columns(self, point: dict) -> dict:
        values = point.get("parameter_values", {})
        written = point.get("parameters", {})
        return {
            path: values.get(path) if values.get(path) is not None else written.get(path)
            for path in self._axes
        }

    def _frame(self, rows: list[dict], columns: list[str]):
        pd = _pandas()
        return pd.DataFrame(rows, columns=columns)

    # --- the frames -------------------------------------------------------------------

    _ESTIMATE = ["mean", "sd", "ci_low", "ci_high", "half_width", "n"]

    @functools.cached_property
    def metrics(self):
        """Every metric: name, unit, definition (docs/metrics.md)."""
        return self._frame(self.document["metrics"], ["name", "unit", "definition"])

    @functools.cached_property
    def points(self):
        """One row per point: its index and each swept path's value as written."""
        rows = [{"point": p["index"], **p.get("parameters", {})} for p in self.document["points"]]
        return self._frame(rows, ["point", *self._axes])

    def _estimates(self, key: str, skip_reference: bool, per_cycle: bool = False):
        units = {m["name"]: m["unit"] for m in self.document["metrics"]}
        reference = self.reference_strategy
        rows = []
        for point in self.document["points"]:
            where = {"point": point["index"], **self._point_columns(point)}
            for st in point["strategies"]:
                if skip_reference and st["name"] == reference:
                    continue
                # per_cycle: one entry per cycle (results.json ``cycles``), else the run's end
                entries = st.get("cycles", []) if per_cycle else [st]
                for entry in entries:
                    lead = {**where, "strategy": st["name"]}
                    if skip_reference:
                        lead["reference"] = reference
                    if per_cycle:
                        lead["cycle"] = entry["cycle"]
                    for metric, e in entry[key].items():
                        row = {**lead, "metric": metric, "unit": units.get(metric)}
                        row.update({k: e.get(k) for k in self._ESTIMATE})
                        rows.append(row)
        lead = ["point", *self._axes, "strategy"] + (["reference"] if skip_reference else [])
        lead += ["cycle"] if per_cycle else []
        return self._frame(rows, [*lead, "metric", "unit", *self._ESTIMATE])

    @functools.cached_property
    def summary(self):
        """The tidy summary: one row per point × strategy × metric with the estimate over
        replications — mean, sd, ci_low, ci_high, half_width, n — as results.json has it."""
        return self._estimates("metrics", skip_reference=False)

    @functools.cached_property
    def differences(self):
        """Each strategy minus the reference strategy, paired replication by replication
        (common random numbers): one row per point × strategy × metric, reference rows
        left out (results.json ``difference_to_reference``)."""
        return self._estimates("difference_to_reference", skip_reference=True)

    @functools.cached_property
    def cycles(self):
        """With population.cycles > 1, the metrics of every cycle (results.json ``cycles``):
        one row per point × strategy × cycle (1-based) × cycle metric with the estimate over
        replications; empty for a one-cycle run."""
        return self._estimates("metrics", skip_reference=False, per_cycle=True)

    @functools.cached_property
    def cycle_differences(self):
        """The same per cycle, each strategy minus the reference strategy, paired."""
        return self._estimates("difference_to_reference", skip_reference=True, per_cycle=True)

    @functools.cached_property
    def runs(self):
        """One row per point × strategy × replication: run_seed, events and every metric
        (runs.jsonl)."""
        if self._core.runs is None:
            raise FileNotFoundError(
                f"no runs.jsonl beside {self.source}: per-replication values need it "
                "(faultline run and check write it)"
            )
        metric_names = [m["name"] for m in self.document["metrics"]]
        points = {p["index"]: self._point_columns(p) for p in self.document["points"]}
        rows = []
        for line in self._core.runs.splitlines():
            if not line:
                continue
            r = json.loads(line)
            row = {"point": r["point"], **points.get(r["point"], {})}
            row.update(
                strategy=r["strategy"],
                replication=r["replication"],
                run_seed=r["run_seed"],
                events=r["events"],
            )
            row.update(r["metrics"])
            rows.append(row)
        columns = ["point", *self._axes, "strategy", "replication", "run_seed", "events"]
        frame = self._frame(rows, columns + metric_names)
        # run seeds are 64-bit unsigned: keep them exact
        frame["run_seed"] = frame["run_seed"].astype("uint64")
        return frame

    @functools.cached_property
    def timeseries(self):
        """Hourly series, mean over replications: one row per point × strategy × series ×
        bin; ``time_s`` is the bin's start (results.json ``series``, ``series_bin_s``)."""
        bin_s = self.document["series_bin_s"]
        rows = []
        for point in self.document["points"]:
            where = {"point": point["index"], **self._point_columns(point)}
            for st in point["strategies"]:
                for series, values in st["series"].items():
                    for i, v in enumerate(values):
                        rows.append(
                            {**where, "strategy": st["name"], "series": series, "bin": i,
                             "time_s": i * bin_s, "value": v}
                        )
        return self._frame(
            rows, ["point", *self._axes, "strategy", "series", "bin", "time_s", "value"]
        )

    @functools.cached_property
    def latency(self):
        """Delivery latency CDFs (reminder batch → handset): one row per point × strategy
        × channel × edge, ``p`` the share delivered within ``le_s`` seconds; channel
        ``all`` is every channel together (results.json ``delivery_latency_cdf``)."""
        rows = []
        for point in self.document["points"]:
            where = {"point": point["index"], **self._point_columns(point)}
            for st in point["strategies"]:
                curves = {"all": st["delivery_latency_cdf"]}
                curves.update(st.get("delivery_latency_cdf_by_channel", {}))
                for channel, cdf in curves.items():
                    for c in cdf:
                        rows.append(
                            {**where, "strategy": st["name"], "channel": channel,
                             "le_s": c["le_s"], "p": c["p"]}
                        )
        return self._frame(rows, ["point", *self._axes, "strategy", "channel", "le_s", "p"])

    @functools.cached_property
    def fault_windows(self):
        """Every window of every fault at every point, as scheduled (onsets at ``at``; a
        random onset is drawn per replication within ``onset_spread_s``): fault (its
        position in ``faults:``), type, target, line, window, start_s, end_s."""
        rows = []
        for point in self.document["points"]:
            where = {"point": point["index"], **self._point_columns(point)}
            for i, f in enumerate(point["faults"]):
                for k, w in enumerate(f["windows"]):
                    rows.append(
                        {**where, "fault": i, "type": f["type"],
                         "target": f["params"].get("target"), "line": f["line"], "window": k,
                         "start_s": w["start_s"], "end_s": w["end_s"],
                         "onset_spread_s": f["onset_spread_s"]}
                    )
        return self._frame(
            rows,
            ["point", *self._axes, "fault", "type", "target", "line", "window", "start_s",
             "end_s", "onset_spread_s"],
        )

    @functools.cached_property
    def expectations(self):
        """The verdicts of the scenario's ``expect:`` entries and precision targets, as the
        CLI prints them: one row per entry × strategy × point — verdict (PASS, FAIL,
        INCONCLUSIVE, SKIPPED), the estimate with ci_low/ci_high, n, and the YAML line."""
        columns = ["name", "kind", "metric", "strategy", "point", "assertion", "verdict",
                   "fails", "estimate", "ci_low", "ci_high", "n", "unit", "pairing", "note",
                   "line"]
        return self._frame(self._core.outcomes, columns)

    # --- files ------------------------------------------------------------------------

    def to_json(self, path: str | os.PathLike | None = None) -> str | None:
        """results.json — the bytes ``faultline run`` writes. Written atomically to
        ``path`` (returns None), or returned as a str without one."""
        if path is None:
            return self._core.json
        self._core.write([(os.fspath(path), "json")])
        return None

    def save(self, folder: str | os.PathLike, report: bool = False) -> str:
        """Writes results.json, runs.jsonl and results.csv into ``folder`` (and
        report.html with report=True) as one set, like ``faultline run --out folder``.
        Returns the results.json path; ``load_results`` of it gives these Results."""
        folder = os.fspath(folder)
        os.makedirs(folder, exist_ok=True)
        files = [(os.path.join(folder, "results.json"), "json")]
        if self._core.runs is not None:
            files.append((os.path.join(folder, "runs.jsonl"), "runs"))
        files.append((os.path.join(folder, "results.csv"), "csv"))
        if report:
            files.append((os.path.join(folder, "report.html"), "report"))
        self._core.write(files)
        return files[0][0]

    def report(self, path: str | os.PathLike | None = None) -> str | None:
        """The HTML report ``faultline run --report`` writes (docs/report.md): one
        self-contained file. Written atomically to ``path``, or returned without one."""
        if path is None:
            return self._core.report_html()
        self._core.write([(os.fspath(path), "report")])
        return None

    def to_csv(self) -> str:
        """results.csv, as ``faultline run`` writes it."""
        return self._core.csv()

    # --- display ----------------------------------------------------------------------

    def __repr__(self) -> str:
        d = self.document
        n_points = len(d["points"])
        return (
            f"<faultline.Results {self.name!r}: {n_points} point{'s' if n_points != 1 else ''}"
            f" × {len(self.strategies)} strategies × {self.replications} replications, "
            f"seed {self.seed}>"
        )

    def _repr_html_(self) -> str:
        """The summary table the CLI prints, for Jupyter: the headline metrics per
        strategy with their confidence intervals, and the paired Δ to the reference."""
        d = self.document
        units = {m["name"]: m["unit"] for m in d["metrics"]}
        columns = self._core.headline_metrics
        esc = html.escape

        def cell(e: dict, unit: str, signed: bool = False) -> str:
            mean, hw = e.get("mean"), e.get("half_width")
            if mean is None:
                return "—"
            percent = unit == "ratio"
            scale, suffix = (100.0, " pp" if signed else "%") if percent else (1.0, "")
            fmt = ("{:+.2f}" if signed else "{:.2f}") if percent else ("{:+.0f}" if signed else "{:.0f}")
            text = fmt.format(mean * scale) + suffix
            if hw is not None and math.isfinite(hw):
                text += " ± " + ("{:.2f}" if percent else "{:.0f}").format(hw * scale) + suffix
            return text

        head = (
            f"<p><b>{esc(self.name)}</b>: {self.replications} replication"
            f"{'s' if self.replications != 1 else ''}, seed {self.seed}, "
            f"{self.confidence * 100:.0f}% confidence intervals</p>"
        )
        out = [head]
        for point in d["points"]:
            if point.get("parameters"):
                params = ", ".join(f"{esc(k)} = {esc(v)}" for k, v in point["parameters"].items())
                out.append(f"<p>point {point['index']}: {params}</p>")
            rows = ["<tr><th>strategy</th>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr>"]
            for i, st in enumerate(point["strategies"]):
                rows.append(
                    f"<tr><td>{esc(st['name'])}</td>"
                    + "".join(f"<td>{cell(st['metrics'][c], units[c])}</td>" for c in columns)
                    + "</tr>"
                )
                if i > 0:
                    rows.append(
                        f"<tr><td>&nbsp;&nbsp;Δ vs {esc(point['strategies'][0]['name'])}</td>"
                        + "".join(
                            f"<td>{cell(st['difference_to_reference'][c], units[c], True)}</td>"
                            for c in columns
                        )
                        + "</tr>"
                    )
            out.append("<table>" + "".join(rows) + "</table>")
        outcomes = self._core.outcomes
        if outcomes:
            counts = {v: sum(o["verdict"] == v for o in outcomes) for v in ("PASS", "FAIL", "INCONCLUSIVE", "SKIPPED")}
            out.append(
                "<p>expectations: "
                + ", ".join(f"{n} {v.lower()}" for v, n in counts.items() if n)
                + " (<code>.expectations</code>)</p>"
            )
        return "\n".join(out)
