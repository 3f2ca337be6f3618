#!/usr/bin/env bash
# Issue 21's peers, side by side (docs/performance.md, "Peers: SimPy and SimGrid timers"):
# the reference workload through faultline's CLI (tests/bench/reference-scenario.yaml with
# N borrowers), the hand-written streaming loop, SimGrid's kernel timers (reminders
# preloaded / chained) and the SimPy 2 process model (preloaded / from a source process),
# each its own process, in rotating order, ROUNDS rounds per size.
# Prints per tool the median wall and CPU (user + sys, from wait4) time, peak RSS and the
# medians of the per-round ratios to faultline's CLI, and the load average before and
# after; writes every run to OUT/peers.tsv and the machine to OUT/machine.txt.
#
# Usage: scripts/peers.sh [out_dir]                    (default: out/peers/)
#   SIZES="100000 1000000"  ROUNDS=5  TOOLS="cli stream simgrid-preload ..."
#   FAULTLINE=path/to/faultline  BUILD=build/release (reference_run, simgrid_timers)
# Needs the release build (cmake --build --preset release --target faultline reference_run
# simgrid_timers) and SimPy 2 (python3-simpy). SimPy takes ~1 min per run at 1e6.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_begin out/peers "${1:-}"
bench_require_bin peers
build="${BUILD:-build/release}"
sizes="${SIZES:-100000 1000000}"
rounds="${ROUNDS:-5}"
tools="${TOOLS:-cli stream simgrid-preload simgrid-chain simpy-preload simpy-source}"
python=/usr/bin/python3
run="$build/tests/bench/reference_run"
simgrid="$build/tests/bench/simgrid_timers"
simpy=tests/bench/peers/simpy_reference.py
for exe in "$run" "$simgrid"; do
  [[ -x "$exe" ]] || {
    echo "peers: no $exe (cmake --build --preset release --target reference_run simgrid_timers)" >&2
    exit 2
  }
done
$python -c 'import SimPy.Simulation' || {
  echo "peers: SimPy 2 is missing (apt-get install python3-simpy)" >&2
  exit 2
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bench_machine "$out_dir/machine.txt"
for n in $sizes; do
  sed "s/^  borrowers:.*/  borrowers: $n/" tests/bench/reference-scenario.yaml >"$tmp/reference-$n.yaml"
done

# The runs: each tool a child process (under /usr/bin/time, for its peak RSS only); wall
# from a monotonic clock around it, CPU (user + sys, the tool's and time's ~1 ms) from
# wait4 (µs resolution, unlike /usr/bin/time's 10 ms).
FAULTLINE_BIN="$bin" RUN="$run" SIMGRID="$simgrid" SIMPY="$simpy" PYTHON="$python" TMP="$tmp" \
  SIZES="$sizes" ROUNDS="$rounds" TOOLS="$tools" $python - "$out_dir/peers.tsv" <<'PY'
import os, statistics, subprocess, sys, time

e = os.environ
tsv = sys.argv[1]
commands = {
    "cli": lambda n: [e["FAULTLINE_BIN"], "run", f"{e['TMP']}/reference-{n}.yaml", "--jobs", "1",
                      "--replications", "1", "--out", f"{e['TMP']}/out"],
    "stream": lambda n: [e["RUN"], "stream", n],
    "preload": lambda n: [e["RUN"], "preload", n],
    "simgrid-preload": lambda n: [e["SIMGRID"], "preload", n],
    "simgrid-chain": lambda n: [e["SIMGRID"], "chain", n],
    "simpy-preload": lambda n: [e["PYTHON"], e["SIMPY"], "preload", n],
    "simpy-source": lambda n: [e["PYTHON"], e["SIMPY"], "source", n],
}
tools = e["TOOLS"].split()
for t in tools:
    if t not in commands:
        sys.exit(f"peers: unknown tool {t} (known: {' '.join(commands)})")
load = lambda: open("/proc/loadavg").read().split()[0]
print(f"peers: load average before {' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)
rows = []
for n in e["SIZES"].split():
    for r in range(int(e["ROUNDS"])):
        for k in range(len(tools)):  # a different tool goes first each round
            tool = tools[(r + k) % len(tools)]
            t0 = time.monotonic()
            # Output to files, not pipes: a child filling a pipe nobody reads would block.
            with open(f"{e['TMP']}/stdout", "w+") as fo, open(f"{e['TMP']}/stderr", "w+") as fe:
                # Peak RSS from GNU time's own child: a child forked from this Python process
                # would carry Python's ~11 MiB as its ru_maxrss until exec.
                p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", f"{e['TMP']}/rss"]
                                     + commands[tool](n), stdout=fo, stderr=fe)
                _, status, ru = os.wait4(p.pid, 0)
                wall = time.monotonic() - t0
                p.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
                fo.seek(0), fe.seek(0)
                out, err = fo.read(), fe.read()
            if p.returncode != 0:
                sys.exit(f"peers: {tool} at {n} exited {p.returncode}:\n{err}")
            counts = next((l for l in out.splitlines() if l.startswith("borrowers=")), "-")
            rss_kib = float(open(f"{e['TMP']}/rss").read().split()[-1])
            row = dict(n=n, round=r, tool=tool, wall_s=wall, cpu_s=ru.ru_utime + ru.ru_stime,
                       max_rss_mib=rss_kib / 1024, load1=load(), counts=counts)
            rows.append(row)
            print(f"  n={n} round {r} {tool}: wall {wall:.3f} s, cpu {row['cpu_s']:.3f} s", flush=True)
print(f"peers: load average after {' '.join(open('/proc/loadavg').read().split()[:3])}")
with open(tsv, "w") as f:
    keys = list(rows[0]) if rows else []
    f.write("\t".join(keys) + "\n")
    for row in rows:
        f.write("\t".join(f"{row[k]:.4f}" if isinstance(row[k], float) else str(row[k]) for k in keys) + "\n")

for n in dict.fromkeys(r["n"] for r in rows):
    at = [r for r in rows if r["n"] == n]
    base = {r["round"]: r for r in at if r["tool"] == "cli"}
    print(f"\nN = {n}: medians of {e['ROUNDS']} rounds; ratios: median of the per-round tool / faultline CLI")
    print(f"{'tool':16} {'wall s':>9} {'cpu s':>9} {'peak MiB':>9} {'wall x':>8} {'cpu x':>8}  counts")
    for t in dict.fromkeys(r["tool"] for r in at):
        rs = [r for r in at if r["tool"] == t]
        med = lambda key: statistics.median(r[key] for r in rs)
        ratio = lambda key: [r[key] / base[r["round"]][key] for r in rs
                             if r["round"] in base and base[r["round"]][key] > 0]
        fmt = lambda v: f"{statistics.median(v):8.2f}" if v else f"{'-':>8}"
        print(f"{t:16} {med('wall_s'):9.3f} {med('cpu_s'):9.3f} {med('max_rss_mib'):9.1f} "
              f"{fmt(ratio('wall_s'))} {fmt(ratio('cpu_s'))}  {rs[0]['counts']}")
print(f"\npeers: every run in {tsv}; machine in {os.path.dirname(tsv)}/machine.txt")
PY
