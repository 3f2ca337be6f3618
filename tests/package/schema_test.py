#!/usr/bin/python3
"""The editor schema (`faultline schema`) against a real validator (issue 20).

- the committed scenarios/scenario.schema.json is today's `faultline schema` output, and a
  valid draft 2020-12 schema;
- every scenario in the repository validates with python3-jsonschema (and with
  `faultline validate`), and every shipped one (scenarios/) names the schema on its first
  line, by a path that exists;
- invalid scenarios fail both ways: `faultline validate` exits 2 and the schema reports an
  error, for one mistake of each family (unknown key, unknown fault, bad enum, bad unit…);
- a renamed (deprecated) spelling passes both, and the schema marks it deprecated.

YAML is read as YAML 1.2 (the language server's default): 09:00 is text, not 540.
"""
import argparse
import copy
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import check, finish  # noqa: E402


class Yaml12Loader(yaml.SafeLoader):
    pass


_INT, _FLOAT, _BOOL = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                       "tag:yaml.org,2002:bool")
Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in (_INT, _FLOAT, _BOOL)]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."))

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def load(path):
    return yaml.load(pathlib.Path(path).read_text(), Loader=Yaml12Loader)


def schema_errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


def faultline_validate(binary, path):
    r = subprocess.run([binary, "validate", str(path)], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    src = pathlib.Path(a.source)
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)

    printed = subprocess.run([a.faultline, "schema"], capture_output=True, text=True,
                             check=True).stdout
    committed = (src / "scenarios/scenario.schema.json").read_text()
    check(printed == committed, "scenarios/scenario.schema.json is `faultline schema` today "
          "(if not: scripts/update-doc-tables.sh)")
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    check(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema",
          "the schema is draft 2020-12 and valid against its metaschema")
    validator = jsonschema.Draft202012Validator(schema)

    # The registry is in it: every fault and mitigation of `faultline list`.
    listing = subprocess.run([a.faultline, "list", "faults"], capture_output=True, text=True,
                             check=True).stdout
    faults = re.findall(r"^(\w+) — ", listing, re.M)
    check(faults and sorted(faults) == sorted(schema["$defs"]["fault"]),
          f"the schema has every fault of `faultline list faults` ({len(faults)})")
    mit = subprocess.run([a.faultline, "list", "mitigations"], capture_output=True, text=True,
                         check=True).stdout
    mitigations = re.findall(r"^(\w+) — ", mit, re.M)
    check(mitigations and sorted(mitigations) == sorted(schema["$defs"]["mitigation"]),
          f"the schema has every mitigation of `faultline list mitigations` ({len(mitigations)})")
    outage = schema["$defs"]["fault"]["vendor_outage"]["properties"]
    check("description" in outage["mode"] and outage["mode"].get("default") == "silent_drop"
          and any(o.get("const") == "dlr_loss" and o.get("deprecated")
                  for o in outage["mode"].get("anyOf", [])),
          "parameters carry help, default, enum and deprecated old values (vendor_outage.mode)")

    def is_scenario(p):
        try:
            doc = load(p)
        except yaml.composer.ComposerError:  # several documents: a Kubernetes manifest
            return False
        return isinstance(doc, dict) and "scenario" in doc

    scenarios = sorted(p for p in src.rglob("*.yaml")
                       if "build" not in p.relative_to(src).parts
                       and "node_modules" not in p.parts and is_scenario(p))
    check(len(scenarios) >= 15, f"{len(scenarios)} scenario files found in the repository")
    for p in scenarios:
        rel = p.relative_to(src)
        errors = schema_errors(validator, load(p))
        check(not errors, f"{rel} validates against the schema" +
              ("" if not errors else ": " + "; ".join(errors[:3])))
        if rel.parts[0] == "scenarios":
            first = p.read_text().splitlines()[0]
            m = SCHEMA_LINE.match(first)
            check(bool(m) and (p.parent / m.group(1)).resolve() ==
                  (src / "scenarios/scenario.schema.json").resolve(),
                  f"{rel} names the schema on its first line")

    # Invalid files fail both ways. Each mutation of the flagship is one user mistake.
    base = load(src / "scenarios/flagship-vendor-outage.yaml")

    def mutate(fn):
        d = copy.deepcopy(base)
        fn(d)
        return d

    def setp(path, value):
        def f(d):
            node = d
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
        return f

    def delp(path):
        def f(d):
            node = d
            for k in path[:-1]:
                node = node[k]
            del node[path[-1]]
        return f

    bad = {
        "unknown top-level key": setp(["replicatoins"], 5),
        "unknown fault type": setp(["faults", 0, "type"], "vendor_outtage"),
        "unknown fault parameter": setp(["faults", 0, "duraton"], "2h"),
        "fault choice not among the modes": setp(["faults", 0, "mode"], "silent"),
        "duration without a unit": setp(["faults", 0, "duration"], "48"),
        "probability above 100%": setp(["population", "behaviour", "pay_after_reminder"],
                                       "140%"),
        "rate without a unit": setp(["infrastructure", "vendors", "alpha", "capacity"], "500"),
        "missing required block": delp(["reminders"]),
        "missing required fault parameter": delp(["faults", 0, "target"]),
        "unknown mitigation": setp(["strategies", "failover", "vendor_failovr"], {}),
        "mitigation choice not among the detectors":
            setp(["strategies", "failover", "vendor_failover", "detect"], "receipts"),
        "unknown vendor key": setp(["infrastructure", "vendors", "alpha", "capacty"], "5/s"),
        "unknown metric in expect": setp(["expect", 0, "metric"], "missed_payment"),
        "expect inconclusive not warn/fail/extend": setp(["expect", 0, "inconclusive"], "skip"),
        "replications out of range": setp(["replications"], 0),
        "engine not native/simgrid": setp(["engine"], "ns3"),
        "strategy named all": setp(["strategies", "all"], {}),
        "old and new spelling together": setp(["infrastructure", "vendors", "alpha"],
                                              {"capacity": "5/s", "dlr_loss": "1%",
                                               "receipt_loss": "1%"}),
    }
    for what, fn in bad.items():
        doc = mutate(fn)
        path = work / (re.sub(r"\W+", "-", what) + ".yaml")
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
        code, text = faultline_validate(a.faultline, path)
        errors = schema_errors(validator, load(path))
        check(code == 2 and bool(errors),
              f"invalid ({what}): faultline validate exits {code} (2), schema errors: "
              f"{len(errors)} (>0)" + ("" if code == 2 else ": " + text.strip()[:200]))

    # A renamed key is still accepted (with a warning) by both, and marked deprecated.
    old = mutate(setp(["infrastructure", "vendors", "alpha", "dlr_loss"], "1%"))
    path = work / "deprecated-spelling.yaml"
    path.write_text(yaml.safe_dump(old, sort_keys=False, allow_unicode=True))
    code, text = faultline_validate(a.faultline, path)
    check(code == 0 and "deprecated" in text and not schema_errors(validator, load(path)),
          "a deprecated spelling (dlr_loss) passes both, with faultline's warning")



if __name__ == "__main__":
    main()
    finish()
