#!/usr/bin/python3
"""Terminal conventions of run and check (issue 20): --version names the version, git
revision and build type; colour only on a terminal and never under NO_COLOR; --quiet
prints nothing (the exit code tells, the files are written); --json prints one JSON
document on stdout whose exit_code is the process's, for a pass and for a failure.
"""
import argparse
import json
import os
import pathlib
import pty
import re
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from harness import check, finish  # noqa: E402



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    binary = str(pathlib.Path(a.faultline).resolve())
    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    expect = str(pathlib.Path(a.source).resolve() / "tests/data/expect.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "GITHUB_ACTIONS")}
    env["TERM"] = "xterm"

    def fl(*args, extra_env=None):
        return subprocess.run([binary, *args], capture_output=True, text=True, cwd=work,
                              env={**env, **(extra_env or {})})

    v = fl("--version")
    check(v.returncode == 0 and re.fullmatch(r"faultline \d+\.\d+\.\d+ \(git \S+, \S+ build\)\n",
                                             v.stdout) is not None,
          f"--version: version, git revision, build type: {v.stdout.strip()}")

    def on_terminal(*args, extra_env=None):
        """stdout on a pseudo-terminal, as in an interactive shell; stderr to a pipe."""
        leader, follower = pty.openpty()
        p = subprocess.Popen([binary, *args], stdout=follower, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, cwd=work, env={**env, **(extra_env or {})})
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait()
        os.close(leader)
        return p.returncode, out.decode(errors="replace")

    code, out = on_terminal("check", expect, "--out", "tty", "--no-report")
    check(code == 0 and "\x1b[32mPASS\x1b[0m" in out, "check on a terminal: PASS in green")
    code, out = on_terminal("check", expect, "--out", "tty", "--no-report",
                            extra_env={"NO_COLOR": "1"})
    check(code == 0 and "PASS" in out and "\x1b[" not in out, "NO_COLOR=1: no escape codes")
    code, out = on_terminal("check", expect, "--out", "tty", "--no-report",
                            extra_env={"TERM": "dumb"})
    check(code == 0 and "\x1b[" not in out, "TERM=dumb: no escape codes")
    r = fl("check", expect, "--out", "pipe", "--no-report")
    check(r.returncode == 0 and "PASS" in r.stdout and "\x1b[" not in r.stdout + r.stderr,
          "stdout to a pipe: no escape codes")

    r = fl("run", expect, "--out", "quiet", "--quiet")
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "" and
          (work / "quiet/results.json").exists(), "run --quiet: silent, exit 0, results written")
    r = fl("check", expect, "--out", "quiet-check", "-q", "--no-report")
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "", "check -q: silent, exit 0")

    r = fl("run", expect, "--out", "json", "--json")
    doc = json.loads(r.stdout)
    check(r.returncode == 0 and r.stderr == "" and doc["exit_code"] == 0 and
          doc["results"].endswith("results.json") and doc["verdicts"] and
          {v["verdict"] for v in doc["verdicts"]} == {"PASS", "SKIPPED"} and
          "missed_payment_rate" in doc["points"][0]["strategies"][0]["metrics"],
          "run --json: one JSON document, metrics and verdicts, exit_code 0")
    failing = work / "failing.yaml"
    failing.write_text(pathlib.Path(expect).read_text()
                       .replace('assert: "< 6%"', 'assert: "< 0.1%"')
                       .replace("scenario: small-expect", "scenario: small-expect-failing"))
    r = fl("run", str(failing), "--out", "json-fail", "--json")
    doc = json.loads(r.stdout)
    check(r.returncode == 1 and doc["exit_code"] == 1 and
          any(v["verdict"] == "FAIL" for v in doc["verdicts"]),
          "run --json of a failing expectation: exit 1, exit_code 1, a FAIL verdict")
    r = fl("check", expect, str(failing), "--out", "json-check", "--json", "--no-report")
    doc = json.loads(r.stdout)
    check(r.returncode == 1 and doc["exit_code"] == 1 and len(doc["scenarios"]) == 2 and
          doc["failed"] >= 1 and doc["passed"] >= 1,
          "check --json: both scenarios, the tally and exit_code 1 = the process's")
    r = fl("run", "missing.yaml", "--json")
    check(r.returncode == 2 and r.stdout == "" and "missing.yaml" in r.stderr,
          "run --json of a missing file: exit 2, the error on stderr, nothing on stdout")



if __name__ == "__main__":
    main()
    finish()
