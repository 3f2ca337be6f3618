#!/usr/bin/python3
"""The CI examples in docs/ci.md, run as far as a machine without GitHub or GitLab can.

Both examples are parsed as YAML and checked for the parts a user relies on (the check
step, the published out/ folder and JUnit file). Then the shell of their check steps is
run exactly as written, with bash, in a scratch checkout holding one scenario and the
built binary where the examples expect it: first as on main (no baseline), then as on a
branch, with main's out/ laid out the way each CI's artifact download leaves it
(GitHub: `baseline/`; GitLab: `baseline-zip/out/`). The `delta` expectations must then be
judged against the baseline, not skipped.

Usage: test_ci_docs.py --faultline BIN --source DIR --work DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

import yaml  # Debian python3-yaml


def yaml_blocks(markdown):
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", markdown, re.S)]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run_shell(script, cwd, env):
    r = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout + r.stderr


def scratch(work, source, faultline, name):
    root = os.path.join(work, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "scenarios"))
    os.makedirs(os.path.join(root, "build/release/sim"))
    shutil.copy(os.path.join(source, "tests/data/expect.yaml"), os.path.join(root, "scenarios/expect.yaml"))
    os.symlink(os.path.abspath(faultline), os.path.join(root, "build/release/sim/faultline"))
    return root


def check_outputs(root, label):
    for f in ["out/small-expect/results.json", "out/small-expect/report.html", "junit.xml"]:
        if not os.path.isfile(os.path.join(root, f)):
            fail(f"{label}: the check step did not write {f}")


def expect_judged_against_baseline(output, label):
    if "SKIPPED" in output:
        fail(f"{label}: delta expectations were skipped, the baseline was not found:\n{output}")
    if "delta" not in output:
        fail(f"{label}: no delta verdict in the output:\n{output}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faultline", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    with open(os.path.join(a.source, "docs/ci.md"), encoding="utf-8") as f:
        blocks = yaml_blocks(f.read())
    github = next((b for b in blocks if isinstance(b, dict) and "jobs" in b), None)
    gitlab = next((b for b in blocks if isinstance(b, dict) and "resilience" in b), None)
    if github is None or gitlab is None:
        fail("docs/ci.md must hold a GitHub workflow (jobs:) and a GitLab job (resilience:)")

    # GitHub Actions: triggers (YAML 1.1 reads `on` as true), the check step, the uploads.
    if (github.get("on") or github.get(True)) != ["push", "pull_request"]:
        fail("the GitHub workflow must run on push and pull_request")
    steps = github["jobs"]["check"]["steps"]
    check = next((s for s in steps if "faultline check" in s.get("run", "")), None)
    if check is None:
        fail("the GitHub workflow has no `faultline check` step")
    uploads = {s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")}
    if uploads != {"out/", "junit.xml"}:
        fail(f"the GitHub workflow must publish out/ and junit.xml, not {sorted(uploads)}")
    download = next((s for s in steps if "download-artifact" in s.get("uses", "")), None)
    if download is None or download["with"]["path"] != "baseline":
        fail("the GitHub workflow must download main's out/ into baseline/")

    # GitLab CI: the check line, the artifacts and the JUnit report.
    job = gitlab["resilience"]
    lines = [l for l in job["script"] if "faultline check" in l]
    if len(lines) != 1:
        fail("the GitLab job must have one `faultline check` line")
    if job["artifacts"]["reports"]["junit"] != "junit.xml" or "out/" not in job["artifacts"]["paths"]:
        fail("the GitLab job must keep out/ and report junit.xml")

    env = dict(os.environ)
    # On main: no baseline; the delta expectations are skipped (exit 0: no failure).
    root = scratch(a.work, a.source, a.faultline, "github")
    code, out = run_shell(check["run"], root, env)
    if code != 0:
        fail(f"GitHub check step on main: exit {code}\n{out}")
    check_outputs(root, "GitHub, main")
    # On a branch: the artifact of main's run is unpacked into baseline/.
    shutil.copytree(os.path.join(root, "out"), os.path.join(root, "baseline"))
    code, out = run_shell(check["run"], root, env)
    if code != 0:
        fail(f"GitHub check step on a branch: exit {code}\n{out}")
    check_outputs(root, "GitHub, branch")
    expect_judged_against_baseline(out, "GitHub, branch")

    # GitLab: the job's download step sets BASELINE after unzipping main's artifact
    # (which holds out/) into baseline-zip/; reproduce that layout and variable.
    root = scratch(a.work, a.source, a.faultline, "gitlab")
    code, out = run_shell(lines[0], root, env)
    if code != 0:
        fail(f"GitLab check line on main: exit {code}\n{out}")
    check_outputs(root, "GitLab, main")
    os.makedirs(os.path.join(root, "baseline-zip"))
    shutil.copytree(os.path.join(root, "out"), os.path.join(root, "baseline-zip/out"))
    code, out = run_shell(lines[0], root, dict(env, BASELINE="--baseline baseline-zip/out"))
    if code != 0:
        fail(f"GitLab check line on a branch: exit {code}\n{out}")
    expect_judged_against_baseline(out, "GitLab, branch")
    print("ok: docs/ci.md examples parse, and their check steps run as written with and without a baseline")


if __name__ == "__main__":
    main()
