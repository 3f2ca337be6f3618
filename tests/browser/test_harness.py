#!/usr/bin/python3
"""Self-test of check_report.py: it must pass a page that renders cleanly and fail each
kind of broken page, for the right reason.

The report tests will trust check_report.py's verdict, so this pins down that verdict:
every fixture in fixtures/ (built with the vendored Vega bundles by make_fixture.py)
gets the expected exit code and the expected evidence in the JSON. It also checks that
each run leaves no temp dir and no browser process behind. Fails (does not skip) when
Chromium is missing, so a machine without it cannot pass the browser tests silently.

Usage: test_harness.py [--keep-screenshot FILE]   (exit 0 = all cases passed)
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
PYTHON = "/usr/bin/python3"


def run_harness(fixture_dir, tmp_root, fixture, *options):
    """Runs check_report.py with its own TMPDIR; returns (exit code, parsed JSON)."""
    run_tmp = pathlib.Path(tempfile.mkdtemp(dir=tmp_root))
    command = [PYTHON, str(HERE / "check_report.py"), str(fixture_dir / fixture), *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, TMPDIR=str(run_tmp)))
    leftovers = list(run_tmp.iterdir())
    assert not leftovers, f"check_report.py left files behind: {leftovers}"
    survivors = processes_mentioning(str(run_tmp))
    assert not survivors, f"browser processes survived the harness: {survivors}"
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"stdout is not JSON:\n{done.stdout}\nstderr:\n{done.stderr}")
    return done.returncode, report, done.stderr


def processes_mentioning(text):
    found = []
    for cmdline in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace"):
                found.append(cmdline.parent.name)
        except OSError:
            pass  # the process exited while we looked
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-screenshot", type=pathlib.Path,
                        help="copy the screenshot of the passing fixture here")
    args = parser.parse_args()

    if not os.access(CHROMIUM, os.X_OK):
        print(f"FAIL: {CHROMIUM} is missing. The browser tests need Chromium: run "
              "scripts/setup.sh (or apt-get install chromium fonts-dejavu-core).",
              file=sys.stderr)
        return 1

    work = pathlib.Path(tempfile.mkdtemp(prefix="faultline-harness-test-"))
    tmp_root = work  # replaced below; lets the cleanup run if fixtures fail to build
    failures = []
    try:
        fixtures = work / "fixtures"
        subprocess.run([PYTHON, str(HERE / "make_fixture.py"), str(fixtures)], check=True,
                       stdout=subprocess.DEVNULL)
        # Each run gets its own TMPDIR under a short root (see make_profile_dir in
        # check_report.py) so that leftovers can be checked per run.
        tmp_root = pathlib.Path(tempfile.mkdtemp(prefix="flh-", dir="/tmp"))
        screenshot = work / "sample.png"

        def case(name, fixture, options, expect_rc, check):
            try:
                rc, report, stderr = run_harness(fixtures, tmp_root, fixture, *options)
                assert rc == expect_rc, (f"exit code {rc}, expected {expect_rc}\n"
                                         f"{json.dumps(report, indent=2)}\n{stderr}")
                check(report, stderr)
                print(f"ok   {name}")
            except Exception as error:  # noqa: BLE001 (a broken case must not stop the rest)
                failures.append(name)
                print(f"FAIL {name}: {error}")

        def clean_render(report, _):
            assert report["ok"] and report["rendered"], report
            assert report["chart_count"] == 2, report["chart_count"]
            assert report["console_errors"] == [] and report["network_requests"] == [], report
            png = screenshot.read_bytes()
            assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000, len(png)

        def too_few_charts(report, stderr):
            assert report["rendered"] and report["chart_count"] == 2, report
            assert "expected at least 3" in stderr, stderr

        def console_error(report, _):
            texts = [e["text"] for e in report["console_errors"]]
            assert any("deliberate console error" in t for t in texts), texts
            assert report["rendered"] and report["network_requests"] == [], report

        def exception(report, _):
            sources = {e["source"]: e["text"] for e in report["console_errors"]}
            assert "deliberate uncaught exception" in sources.get("exception", ""), sources

        def network(report, _):
            assert report["network_requests"] == ["http://127.0.0.1:9/x.png"], report
            assert report["rendered"], report

        def no_marker(report, stderr):
            assert not report["rendered"] and report["chart_count"] == 1, report
            assert "render marker not set" in stderr, stderr

        def hung(report, stderr):
            assert not report["rendered"] and "overall timeout" in stderr, (report, stderr)

        def missing_file(report, stderr):
            assert not report["ok"] and "no such file" in stderr, (report, stderr)

        case("sample renders 2 charts cleanly", "sample.html",
             ["--min-charts", "2", "--screenshot", str(screenshot)], 0, clean_render)
        case("sample fails --min-charts 3", "sample.html", ["--min-charts", "3"], 1,
             too_few_charts)
        case("console.error fails", "console_error.html", [], 1, console_error)
        case("uncaught exception fails", "uncaught_exception.html", [], 1, exception)
        case("network request fails", "network_request.html", [], 1, network)
        case("missing marker fails", "no_marker.html", ["--render-timeout", "3"], 1,
             no_marker)
        case("hung page hits the overall timeout", "hung_script.html", ["--timeout", "8"], 1,
             hung)
        case("missing file fails", "does_not_exist.html", [], 1, missing_file)

        if args.keep_screenshot and screenshot.exists():
            args.keep_screenshot.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(screenshot, args.keep_screenshot)
            print(f"screenshot: {args.keep_screenshot}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(tmp_root, ignore_errors=True)

    if failures:
        print(f"{len(failures)} case(s) failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    print("all harness cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
