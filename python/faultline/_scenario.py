"""Scenario: a scenario file's YAML, parsed and checked by faultline's own parser.

A Scenario never changes. ``with_`` makes a new one from new YAML text, which goes
through the same parser as a file, so a value set from Python meets exactly the checks
the same value meets in a file, and errors are ScenarioError with file, line and column.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Mapping

from faultline import _core

_EDITED = " (edited)"


class DeprecatedKeyWarning(FutureWarning):
    """A scenario uses a key or value renamed for one name per concept (``dlr_delay`` →
    ``receipt_delay``, ``max_attempts`` → ``max_retries``; docs/scenarios.md, "Renamed
    keys"): still read, for one release. The message is the CLI's
    ``file:line:col: warning: ...``. A FutureWarning, so Python shows it by default."""


def _warn_deprecated(core: _core.Scenario) -> None:
    for message in core.warnings:
        warnings.warn(message, DeprecatedKeyWarning, stacklevel=3)


def load_scenario(path: str | os.PathLike) -> "Scenario":
    """Reads and validates a scenario file, as ``faultline validate`` does.

    Raises ScenarioError (file, line, column, message) for anything wrong in it.
    """
    core = _core.Scenario.from_file(os.fspath(path))
    _warn_deprecated(core)
    return Scenario._wrap(core)


def _edited_name(file: str) -> str:
    # Keeps the folder, so relative paths in the scenario (infrastructure.platform) still
    # resolve, and says the text is no longer the file's.
    return file if file.endswith(_EDITED) else file + _EDITED


class Scenario:
    """A parsed, validated scenario. Build one with ``load_scenario(path)``,
    ``Scenario.from_yaml(text)`` or ``Scenario.from_dict(d)``; change it with ``with_``."""

    __slots__ = ("_core",)

    def __init__(self, *args, **kwargs):
        raise TypeError(
            "use faultline.load_scenario(path), Scenario.from_yaml(text) or Scenario.from_dict(d)"
        )

    @classmethod
    def _wrap(cls, core: _core.Scenario) -> "Scenario":
        self = object.__new__(cls)
        self._core = core
        return self

    # --- construction -----------------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Scenario":
        """The same as ``faultline.load_scenario(path)``."""
        return load_scenario(path)

    @classmethod
    def from_yaml(cls, text: str, file: str = "<string>") -> "Scenario":
        """A scenario from YAML text. ``file`` names it in errors and results.json (and
        relative paths in it start at its folder)."""
        if not isinstance(text, str):
            raise TypeError(f"from_yaml takes the YAML text as a str, not {type(text).__name__}")
        core = _core.Scenario.from_text(text, os.fspath(file))
        _warn_deprecated(core)
        return cls._wrap(core)

    @classmethod
    def from_dict(cls, tree: Mapping[str, Any], file: str = "<dict>") -> "Scenario":
        """A scenario from Python values, keyed as in the YAML file (docs/scenarios.md):
        str, int, float, bool, datetime.timedelta, lists and dicts."""
        if not isinstance(tree, Mapping):
            raise TypeError(f"from_dict takes a dict, not {type(tree).__name__}")
        core = _core.Scenario.from_tree(dict(tree), os.fspath(file))
        _warn_deprecated(core)
        return cls._wrap(core)

    # --- what it holds ----------------------------------------------------------------

    name = property(lambda self: self._core.name, doc="`scenario:`, its name")
    description = property(lambda self: self._core.description)
    file = property(lambda self: self._core.file, doc="where the text came from")
    text = property(lambda self: self._core.text, doc="the YAML text that runs")
    sha256 = property(lambda self: self._core.sha256, doc="of the text, as in results.json")
    seed = property(lambda self: self._core.seed)
    replications = property(lambda self: self._core.replications)
    confidence = property(lambda self: self._core.confidence)
    horizon_s = property(lambda self: self._core.horizon_s)
    borrowers = property(lambda self: self._core.borrowers)
    engine = property(lambda self: self._core.engine)

    @property
    def strategies(self) -> list[str]:
        """Strategy names in order; the first is the reference strategy."""
        return [s["name"] for s in self._core.strategies]

    @property
    def reference_strategy(self) -> str:
        return self._core.strategies[0]["name"]

    @property
    def faults(self) -> list[dict]:
        """Each fault: type, line and every parameter (defaults filled in) as written."""
        return self._core.faults

    @property
    def sweep(self) -> list[dict]:
        """The sweep's axes (path, values as written, line); empty without a sweep."""
        return self._core.sweep

    @property
    def expectations(self) -> list[dict]:
        """The `expect:` entries (metric, strategy, assertion, point, inconclusive, line)."""
        return self._core.expectations

    @property
    def warnings(self) -> list[str]:
        """``file:line:col: warning: ...`` for each deprecated key or value in the text
        (also issued as DeprecatedKeyWarning when the scenario is read)."""
        return list(self._core.warnings)

    @property
    def edited(self) -> bool:
        """True when the text was changed in Python (with_, run's strategies=, sweep())."""
        return self.file.endswith(_EDITED)

    def to_dict(self) -> dict:
        """The YAML as Python values; ``Scenario.from_dict(s.to_dict())`` is the same
        scenario. Scalars that read as numbers or booleans come back as such, everything
        else (durations, percentages, rates, times) as the text written."""
        return self._core.tree()

    # --- changing and checking --------------------------------------------------------

    def with_(self, paths: Mapping[str, Any] | None = None, /, **changes: Any) -> "Scenario":
        """A new scenario with values changed.

        Keyword arguments change top-level keys, merging dicts into what is there:
        ``s.with_(population={"borrowers": 50_000})`` changes only the population's
        borrowers. A dict of key paths sets single values:
        ``s.with_({"faults[0].duration": "24h", "strategies.failover.vendor_failover.window": "5m"})``
        (``faults.0.duration`` is the same path). None removes a key; lists are replaced
        whole; a position just past a list's end appends. Every step of a path but the
        last must exist. The new text is parsed and checked like a file: a bad value
        raises ScenarioError with its line and column in the new text (``.text``).
        """
        if paths is not None and not isinstance(paths, Mapping):
            raise TypeError("with_ takes a dict of key paths (and/or keyword arguments)")
        pairs = [(str(k), v) for k, v in (paths or {}).items()]
        if not pairs and not changes:
            return self
        text = self._core.edited(pairs, changes)
        return Scenario.from_yaml(text, _edited_name(self.file))

    def validate(self, **options: Any) -> "Scenario":
        """Checks what ``faultline validate`` and ``run`` check before any replication:
        every sweep point, the expectations' points, and the options given (seed,
        replications, engine, until_ci_halfwidth, ... as for run()). Returns the scenario;
        raises ScenarioError or OptionError."""
        from faultline._run import experiment_of

        experiment_of(self, **options)
        return self

    def save(self, path: str | os.PathLike) -> "Scenario":
        """Writes the YAML text to ``path`` and returns the scenario read back from it, so
        results.json's ``reproduce`` command names a file that exists."""
        path = os.fspath(path)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(self.text)
        os.replace(tmp, path)
        return load_scenario(path)

    # --- Python niceties --------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (self.file, self.text) == (other.file, other.text)

    def __hash__(self) -> int:
        return hash((self.file, self.text))

    def __repr__(self) -> str:
        return (
            f"<faultline.Scenario {self.name!r} from {self.file!r}: "
            f"{len(self.strategies)} strategies, {len(self.faults)} faults, "
            f"{self.borrowers} borrowers, {self.replications} replications, seed {self.seed}>"
        )
