"""run() and sweep(): a scenario through faultline's pipeline, as `faultline run` does.

The keywords are the CLI's flags with '_' for '-' (--until-ci-halfwidth →
until_ci_halfwidth); the pipeline validates them once, with the scenario, before any
replication. The run itself happens in C++ with the GIL released: other Python threads
go on, and KeyboardInterrupt (Ctrl-C, a notebook's interrupt) stops it between two
simulations.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from typing import Any, Callable, Iterable, Mapping

from faultline import _core
from faultline._progress import progress_reporter
from faultline._results import Results
from faultline._scenario import Scenario, load_scenario

log = logging.getLogger("faultline")

Progress = Any  # a callable progress(done, planned), True, False or None


def _as_scenario(scenario: Scenario | str | os.PathLike) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return load_scenario(scenario)
    raise TypeError(
        f"expected a faultline.Scenario or the path of a scenario file, not {type(scenario).__name__}"
    )


def _halfwidth_text(targets: str | Mapping[str, Any] | None) -> str | None:
    if targets is None or isinstance(targets, str):
        return targets
    if isinstance(targets, Mapping):
        return ",".join(f"{metric}={value}" for metric, value in targets.items())
    raise _core.OptionError(
        "until_ci_halfwidth: must be 'metric=value,...' or a dict {metric: value}"
    )


def _baseline_path(baseline: Any, keep: list) -> str | None:
    if baseline is None:
        return None
    if isinstance(baseline, Results):
        if baseline.source:
            return baseline.source
        # An earlier run in this session: its results.json and runs.jsonl, so deltas pair
        # replication by replication, in a folder that lives as long as the run.
        folder = tempfile.TemporaryDirectory(prefix="faultline-baseline-")
        keep.append(folder)
        baseline.save(folder.name)
        return os.path.join(folder.name, "results.json")
    return os.fspath(baseline)


def _only_strategies(s: Scenario, names: Iterable[str]) -> Scenario:
    """The scenario with only the named strategies, in the scenario's order (the first
    kept is the reference); `expect:` entries about the others are dropped, with a warning."""
    if isinstance(names, str):
        names = [names]
    wanted = list(names)
    known = s.strategies
    unknown = [n for n in wanted if n not in known]
    if unknown or not wanted:
        raise _core.OptionError(
            f"strategies: {'unknown strategy ' + repr(unknown[0]) if unknown else 'none given'}; "
            f"the scenario has {', '.join(known)}"
        )
    dropped = [n for n in known if n not in wanted]
    if not dropped:
        return s
    paths: dict[str, Any] = {f"strategies.{n}": None for n in dropped}
    tree = s.to_dict()
    expect = tree.get("expect")
    if isinstance(expect, list):
        kept = [e for e in expect if not (isinstance(e, dict) and e.get("strategy") in dropped)]
        if len(kept) != len(expect):
            warnings.warn(
                f"{s.name}: {len(expect) - len(kept)} expect: entr"
                f"{'y' if len(expect) - len(kept) == 1 else 'ies'} about "
                f"{', '.join(dropped)} left out with {'that strategy' if len(dropped) == 1 else 'those strategies'}",
                stacklevel=3,
            )
            paths["expect"] = kept or None
    return s.with_(paths)


def experiment_of(
    scenario: Scenario | str | os.PathLike,
    seed: int | None = None,
    replications: int | None = None,
    jobs: int | None = None,
    strategies: Iterable[str] | None = None,
    *,
    engine: str | None = None,
    until_ci_halfwidth: str | Mapping[str, Any] | None = None,
    max_replications: int | None = None,
    only_replication: int | None = None,
    baseline: Any = None,
    strict: bool = False,
    verbose: bool = False,
    _keep: list | None = None,
) -> tuple[Scenario, _core.Experiment]:
    """The scenario to run (strategies= applied) and the pipeline object for it and
    run()'s options, validated."""
    s = _as_scenario(scenario)
    if strategies is not None:
        s = _only_strategies(s, strategies)
    return s, _core.Experiment(
        s._core,
        seed=seed,
        replications=replications,
        jobs=jobs,
        engine=engine,
        until_ci_halfwidth=_halfwidth_text(until_ci_halfwidth),
        max_replications=max_replications,
        only_replication=only_replication,
        baseline=_baseline_path(baseline, _keep if _keep is not None else []),
        strict=bool(strict),
        engine_log=bool(verbose),
    )


def run(
    scenario: Scenario | str | os.PathLike,
    seed: int | None = None,
    replications: int | None = None,
    jobs: int | None = None,
    strategies: Iterable[str] | None = None,
    *,
    engine: str | None = None,
    until_ci_halfwidth: str | Mapping[str, Any] | None = None,
    max_replications: int | None = None,
    only_replication: int | None = None,
    baseline: Any = None,
    strict: bool = False,
    verbose: bool = False,
    progress: Progress = None,
) -> Results:
    """Runs a scenario (a Scenario or a file path) like ``faultline run`` and returns its
    Results: the same numbers as the CLI's results.json at the same seed.

    seed, replications, engine, until_ci_halfwidth (``"metric=0.1%,..."`` or a dict),
    max_replications, only_replication, baseline (a results.json path, its folder, or an
    earlier Results), strict and verbose are ``faultline run``'s flags. jobs: worker
    threads (default: the machine's cores; no number depends on it). strategies: run only
    these (the first of them in the scenario's order becomes the reference).
    progress: a callable ``progress(done, planned)`` (runs done and planned so far), True
    for a tqdm bar, False for silence; by default a tqdm bar when tqdm is installed.
    """
    keep: list = []
    s, experiment = experiment_of(
        scenario,
        seed,
        replications,
        jobs,
        strategies,
        engine=engine,
        until_ci_halfwidth=until_ci_halfwidth,
        max_replications=max_replications,
        only_replication=only_replication,
        baseline=baseline,
        strict=strict,
        verbose=verbose,
        _keep=keep,
    )
    name = experiment.scenario.name

    def on_round(done: int, next_: int, why: str) -> None:
        log.info("%s: %s after %d replications; extending to %d", name, why, done, next_)

    planned = len(experiment.points) * experiment.first_round * experiment.runs_per_unit
    with progress_reporter(progress, name, planned) as report:
        core = experiment.run(progress=report, on_round=on_round)
    return Results(core, s)


def sweep(
    scenario: Scenario | str | os.PathLike,
    axes: Mapping[str, Any],
    **options: Any,
) -> Results:
    """Runs the scenario at every point of a grid, like a scenario's ``sweep:`` block
    (docs/scenarios.md), and returns Results whose frames hold every point: ``.summary``
    is one tidy frame with a column per swept path.

    axes: ``{path: [values...]}`` or ``{path: {"from": ..., "to": ..., "steps": n}}``;
    paths as for Scenario.with_ (``faults.0.duration`` or ``faults[0].duration``).
    A sweep block already in the scenario is replaced. options: as for run().
    """
    s = _as_scenario(scenario)
    if not isinstance(axes, Mapping) or not axes:
        raise TypeError("sweep takes a non-empty dict {path: values}")
    block: dict[str, Any] = {}
    for path, values in axes.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, (Mapping, Iterable)):
            raise TypeError(
                f"sweep: {path}: give a list of values or {{'from': ..., 'to': ..., 'steps': n}}"
            )
        block[s._core.sweep_path(str(path))] = (
            dict(values) if isinstance(values, Mapping) else list(values)
        )
    return run(s.with_({"sweep": block}), **options)
