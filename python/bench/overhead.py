"""What the Python path costs over the CLI, and what two runs in two threads use.

    PYTHONPATH=build/release/python /usr/bin/python3 python/bench/overhead.py \
        --faultline build/release/sim/faultline [--rounds 5] [--jobs 2] [SCENARIO]

overhead (default): alternately, in each round, `faultline run SCENARIO --jobs J --out
TMP` as a child process and, in this interpreter (warm, as in a notebook),
`faultline.run(SCENARIO, jobs=J)` followed by building `.summary` — the order swapped
every round. Wall time and CPU time (user + system; the child's from RUSAGE_CHILDREN,
ours from RUSAGE_SELF) of each, their ratio per round, medians; and the same for a fresh
interpreter (`python3 -c "import faultline; ..."`: startup and the pandas import
included). The results are checked equal to the CLI's every time.

--threads: two runs of SCENARIO with jobs=1 each in two Python threads at once vs the
same two one after the other; CPU time over wall time = cores kept busy.

The load average is printed before and after: on a shared machine compare ratios of
runs made side by side, never absolute figures across sessions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import faultline


def cpu(who: int) -> float:
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


def cli_run(binary: str, scenario: str, jobs: int, out: str) -> tuple[float, float]:
    c0, t0 = cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([binary, "run", scenario, "--jobs", str(jobs), "--out", out],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, cpu(resource.RUSAGE_CHILDREN) - c0


def python_run(scenario: str, jobs: int) -> tuple[float, float, faultline.Results]:
    c0, t0 = cpu(resource.RUSAGE_SELF), time.perf_counter()
    r = faultline.run(scenario, jobs=jobs, progress=False)
    r.summary  # the DataFrame is part of the Python path
    return time.perf_counter() - t0, cpu(resource.RUSAGE_SELF) - c0, r


def fresh_python_run(scenario: str, jobs: int) -> tuple[float, float]:
    code = (f"import faultline; r = faultline.run({scenario!r}, jobs={jobs}, progress=False); "
            "r.summary")
    c0, t0 = cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ)
    return time.perf_counter() - t0, cpu(resource.RUSAGE_CHILDREN) - c0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def overhead(args) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.rounds):
            order = ["cli", "python", "fresh"] if k % 2 == 0 else ["fresh", "python", "cli"]
            got = {}
            for what in order:
                if what == "cli":
                    got["cli"] = cli_run(args.faultline, args.scenario, args.jobs, tmp)
                elif what == "python":
                    wall, c, r = python_run(args.scenario, args.jobs)
                    got["python"] = (wall, c)
                    result = r
                else:
                    got["fresh"] = fresh_python_run(args.scenario, args.jobs)
            with open(os.path.join(tmp, "results.json"), encoding="utf-8") as f:
                assert json.load(f)["points"] == result.document["points"], "numbers differ"
            rows.append(got)
            print(f"round {k + 1}: cli {got['cli'][0]:.3f} s wall {got['cli'][1]:.3f} s cpu | "
                  f"python {got['python'][0]:.3f} / {got['python'][1]:.3f} | "
                  f"fresh interpreter {got['fresh'][0]:.3f} / {got['fresh'][1]:.3f} | "
                  f"load {load()}", flush=True)

    def med(what: str, i: int) -> float:
        return statistics.median(r[what][i] for r in rows)

    def ratio(what: str, i: int) -> float:
        return statistics.median(r[what][i] / r["cli"][i] for r in rows)

    print(f"\nmedians over {len(rows)} rounds ({args.scenario}, --jobs {args.jobs}):")
    print(f"  cli                      {med('cli', 0):.3f} s wall, {med('cli', 1):.3f} s cpu")
    for what, label in (("python", "faultline.run + .summary"), ("fresh", "fresh interpreter")):
        print(f"  {label:24} {med(what, 0):.3f} s wall, {med(what, 1):.3f} s cpu;"
              f" over the cli: wall {100 * (ratio(what, 0) - 1):+.1f} %,"
              f" cpu {100 * (ratio(what, 1) - 1):+.1f} % (median of per-round ratios)")
    print(f"  load average at the end: {load()}")


def threads(args) -> None:
    s = faultline.load_scenario(args.scenario)
    seeds = [s.seed, s.seed + 1]

    def both(concurrently: bool) -> tuple[float, float, list]:
        out = [None, None]

        def one(i: int) -> None:
            out[i] = faultline.run(s, seed=seeds[i], jobs=1, progress=False).to_json()

        c0, t0 = cpu(resource.RUSAGE_SELF), time.perf_counter()
        if concurrently:
            ts = [threading.Thread(target=one, args=(i,)) for i in range(2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        else:
            one(0)
            one(1)
        return time.perf_counter() - t0, cpu(resource.RUSAGE_SELF) - c0, out

    outputs = []
    busy = {True: [], False: []}
    for k in range(args.rounds):
        for concurrently in ((True, False) if k % 2 == 0 else (False, True)):
            wall, c, out = both(concurrently)
            outputs.append(out)
            busy[concurrently].append(c / wall)
            print(f"round {k + 1} {'two threads at once ' if concurrently else 'one after the other'}: "
                  f"{wall:.3f} s wall, {c:.3f} s cpu = {c / wall:.2f} cores busy | load {load()}",
                  flush=True)
    assert all(out == outputs[0] for out in outputs), "a concurrent run gave other results"
    print(f"\nmedian cores busy: two threads at once {statistics.median(busy[True]):.2f}, "
          f"one after the other {statistics.median(busy[False]):.2f}; every run's results.json "
          f"identical to the sequential one's; load at the end {load()}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", default="scenarios/flagship-vendor-outage.yaml")
    p.add_argument("--faultline", default="build/release/sim/faultline")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--threads", action="store_true")
    args = p.parse_args()
    print(f"faultline {faultline.__version__} (git {faultline.git_revision}), "
          f"{os.cpu_count()} cores, load {load()}", flush=True)
    (threads if args.threads else overhead)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
