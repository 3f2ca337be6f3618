"""catalogue(): the faults, mitigations and metrics faultline knows, with their
parameters — the registries ``faultline list`` prints, as DataFrames."""

from __future__ import annotations

from faultline import _core
from faultline._results import _pandas


class Catalogue:
    """``faults`` and ``mitigations``: one row per plug-in parameter (name, summary,
    engine, parameter, kind, default, required, choices, help; a plug-in without
    parameters has one row with parameter None); ``fault_effects`` and
    ``mitigation_effects``: one row per plug-in (name, engine, effect, calibration —
    docs/model.md's tables); ``metrics``: name, unit, definition. ``raw`` holds the same
    as lists of dicts (with each plug-in's ``renamed``: old spellings still read)."""

    _PLUGIN_COLUMNS = ["name", "summary", "engine", "parameter", "kind", "default", "required",
                       "choices", "help"]
    _EFFECT_COLUMNS = ["name", "engine", "effect", "calibration"]

    def __init__(self, raw: dict):
        self.raw = raw
        pd = _pandas()
        self.faults = pd.DataFrame(self._rows(raw["faults"]), columns=self._PLUGIN_COLUMNS)
        self.mitigations = pd.DataFrame(self._rows(raw["mitigations"]), columns=self._PLUGIN_COLUMNS)
        self.fault_effects = pd.DataFrame(raw["faults"], columns=self._EFFECT_COLUMNS)
        self.mitigation_effects = pd.DataFrame(raw["mitigations"], columns=self._EFFECT_COLUMNS)
        self.metrics = pd.DataFrame(raw["metrics"], columns=["name", "unit", "definition"])

    @staticmethod
    def _rows(plugins: list[dict]) -> list[dict]:
        rows = []
        for p in plugins:
            base = {"name": p["name"], "summary": p["summary"], "engine": p["engine"]}
            if not p["parameters"]:
                rows.append({**base, "parameter": None})
            for q in p["parameters"]:
                rows.append({**base, "parameter": q["name"], "kind": q["kind"],
                             "default": q["default"], "required": q["required"],
                             "choices": q["choices"], "help": q["help"]})
        return rows

    def __repr__(self) -> str:
        return (
            f"<faultline.Catalogue: {len(self.raw['faults'])} faults, "
            f"{len(self.raw['mitigations'])} mitigations, {len(self.raw['metrics'])} metrics>"
        )


def catalogue() -> Catalogue:
    """Faults, mitigations (with their parameters: kind, default, help) and metrics."""
    return Catalogue(_core.catalogue())
