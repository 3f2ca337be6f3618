#!/usr/bin/python3
"""Browser test of the real HTML report: generate it with faultline, open it in headless
Chromium through check_report.py, and require that every chart rendered — exactly the
number the page holds and the number this scenario must have — with zero console errors
and zero network requests. Keeps a screenshot of each page (a CI artifact).

Two pages: `faultline run SCENARIO --report` (series, fault timeline, latency CDF,
funnel: 4 charts), and `faultline report` on the same results turned into a 3-point
sweep (+ the sweep curves: 5 charts), which also exercises the page for results with
several points and, with a push CDF added beside the SMS one, the latency chart's grid of
one panel per channel (still one chart).

Usage: test_report.py --faultline BIN --scenario YAML --work DIR   (exit 0 = passed)
"""

import argparse
import copy
import json
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"


def check_page(report, expected_charts, screenshot):
    html = report.read_text(encoding="utf-8")
    containers = html.count('<div class="chart"')
    assert containers == expected_charts, f"{report.name}: {containers} chart containers, expected {expected_charts}"
    done = subprocess.run([PYTHON, str(HERE / "check_report.py"), str(report), "--min-charts",
                           str(expected_charts), "--screenshot", str(screenshot)],
                          capture_output=True, text=True, timeout=150)
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"check_report.py printed no JSON:\n{done.stdout}\n{done.stderr}")
    print(f"{report.name}: rendered={result['rendered']} charts={result['chart_count']} "
          f"console_errors={len(result['console_errors'])} network_requests={len(result['network_requests'])} "
          f"screenshot={result['screenshot']}")
    assert done.returncode == 0 and result["ok"], f"{report.name}: {result['failures']}\n{done.stderr}"
    assert result["chart_count"] == expected_charts, \
        f"{report.name}: {result['chart_count']} rendered charts, expected exactly {expected_charts}"
    assert result["console_errors"] == [] and result["network_requests"] == []


def as_sweep(results):
    """The same results as a 3-point sweep over the outage duration (numbers scaled), with
    a push latency CDF (the SMS one, a minute later) beside every strategy's SMS one."""
    swept = copy.deepcopy(results)
    values = ["1d", "2d", "3d"]
    swept["sweep"] = {"axes": [{"path": "faults[0].duration", "values": values}]}
    points = []
    for index, (value, factor) in enumerate(zip(values, (0.6, 1.0, 1.3))):
        point = copy.deepcopy(results["points"][0])
        point["index"], point["parameters"] = index, {"faults[0].duration": value}
        for strategy in point["strategies"]:
            for estimate in strategy["metrics"].values():
                for key in ("mean", "ci_low", "ci_high"):
                    if isinstance(estimate.get(key), (int, float)):
                        estimate[key] *= factor
            by_channel = strategy["delivery_latency_cdf_by_channel"]
            by_channel["push"] = [{"le_s": p["le_s"] + 60, "p": p["p"]} for p in by_channel["sms"]]
        points.append(point)
    swept["points"] = points
    return swept


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faultline", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--work", required=True, type=pathlib.Path)
    args = parser.parse_args()

    shutil.rmtree(args.work / "run", ignore_errors=True)
    args.work.mkdir(parents=True, exist_ok=True)
    run_dir = args.work / "run"
    subprocess.run([args.faultline, "run", args.scenario, "--out", str(run_dir), "--jobs", "2",
                    "--report", str(run_dir / "report.html")], check=True, stdout=subprocess.DEVNULL)
    check_page(run_dir / "report.html", 4, args.work / "report.png")

    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    sweep_json = args.work / "sweep-results.json"
    sweep_json.write_text(json.dumps(as_sweep(results), indent=2), encoding="utf-8")
    subprocess.run([args.faultline, "report", str(sweep_json), "-o", str(args.work / "sweep-report.html")],
                   check=True, stdout=subprocess.DEVNULL)
    sweep_html = (args.work / "sweep-report.html").read_text(encoding="utf-8")
    assert "(here: <strong>all channels, sms, push</strong>)" in sweep_html, \
        "sweep-report.html: the latency chart should have a pooled, an sms and a push panel"
    check_page(args.work / "sweep-report.html", 5, args.work / "sweep-report.png")
    print("PASS: both reports rendered every chart, offline, without errors")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
