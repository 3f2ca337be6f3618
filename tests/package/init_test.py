#!/usr/bin/python3
"""`faultline init` and `faultline explain` (issue 20), through the binary.

Every template, as written by `faultline init`, passes `validate`, `run` (exit 0, results
written) and the editor schema; `explain` describes it (its fault and every strategy);
init refuses to overwrite without --force (the file stays as it was), overwrites with it,
and refuses an unknown template with exit 2.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import check, finish  # noqa: E402
from schema_test import Yaml12Loader  # noqa: E402  (the YAML 1.2 reading of the schema test)



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    a.faultline = str(pathlib.Path(a.faultline).resolve())
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)

    def fl(*args):
        return subprocess.run([a.faultline, *args], capture_output=True, text=True, cwd=work)

    schema = json.loads(fl("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    listing = fl("init", "--list").stdout
    names = re.findall(r"^  (\S+)", listing, re.M)
    check(names == ["vendor-outage", "phones-suspended", "gateway-failure", "link-expiry"],
          f"init --list names the four templates: {names}")

    for name in names:
        path = work / f"{name}-starter.yaml"
        path.unlink(missing_ok=True)
        r = fl("init", "--template", name, path.name)
        check(r.returncode == 0 and path.exists(), f"init --template {name} writes {path.name}")
        text = path.read_text()
        check(text.startswith("# yaml-language-server: $schema=") and
              f"scenario: {name}-starter" in text and "{{" not in text,
              f"{name}: schema line, the file's name as scenario name, no placeholder left")
        comments = sum(1 for line in text.splitlines() if "#" in line)
        check(comments >= 10, f"{name}: commented ({comments} lines with comments)")
        doc = yaml.load(text, Loader=Yaml12Loader)
        errors = [e.message for e in validator.iter_errors(doc)]
        check(not errors, f"{name}: valid against the editor schema {errors[:2]}")
        r = fl("validate", path.name)
        check(r.returncode == 0 and ": ok" in r.stdout, f"{name}: faultline validate: ok")
        out = work / f"out-{name}"
        r = fl("run", path.name, "--out", str(out), "--jobs", "2")
        results = out / "results.json"
        check(r.returncode == 0 and results.exists(),
              f"{name}: faultline run exits {r.returncode} (0) and writes results.json"
              + ("" if r.returncode == 0 else ": " + r.stderr[-300:]))
        if results.exists():
            strategies = [s["name"] for s in json.loads(results.read_text())["points"][0]["strategies"]]
            check(len(strategies) >= 2, f"{name}: results for {len(strategies)} strategies")
        r = fl("explain", path.name)
        fault = doc["faults"][0]["type"]
        check(r.returncode == 0 and f"{fault} " in r.stdout and "starts" in r.stdout
              and all(f"  {s}" in r.stdout for s in doc["strategies"])
              and "reminder batch" in r.stdout,
              f"{name}: explain names the fault window ({fault}), the batches and every strategy")

    # Never over an existing file without --force; the file is left as it was.
    target = work / "mine.yaml"
    target.write_text("my own work\n")
    r = fl("init", "mine.yaml")
    check(r.returncode == 2 and "--force" in r.stderr and target.read_text() == "my own work\n",
          "init refuses to overwrite (exit 2, says --force) and leaves the file untouched")
    r = fl("init", "--force", "--template", "link-expiry", "mine.yaml")
    check(r.returncode == 0 and "link_expiry" in target.read_text(), "init --force overwrites")
    leftovers = [p.name for p in work.iterdir() if p.name.startswith("mine.yaml") and
                 p.name != "mine.yaml"]
    check(not leftovers, f"no temporary file left beside it {leftovers}")
    r = fl("init", "--template", "nope", "x.yaml")
    check(r.returncode == 2 and "vendor-outage" in r.stderr and not (work / "x.yaml").exists(),
          "an unknown template: exit 2, the known names, nothing written")
    r = fl("init")
    check(r.returncode == 2, "init without a file: exit 2")
    r = fl("explain", "missing.yaml")
    check(r.returncode == 2 and "missing.yaml" in r.stderr, "explain of a missing file: exit 2")



if __name__ == "__main__":
    main()
    finish()
