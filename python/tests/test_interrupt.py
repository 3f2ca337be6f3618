"""Ctrl-C (KeyboardInterrupt) stops a long run promptly and leaves nothing broken.

The pipeline's cancel flag is checked between runs; the caller's thread polls for
signals while it waits. In-process: an interrupt sent after the first progress report
raises KeyboardInterrupt before the run is done, and the next run in the same
interpreter gives the same bytes as a fresh one. Out of process: SIGINT to a Python
running a long experiment ends it with KeyboardInterrupt (the latency is printed, not
asserted; a generous timeout only guards against a hang).
"""

from __future__ import annotations

import _thread
import signal
import subprocess
import sys
import threading
import time

import pytest

import faultline
from conftest import SOURCE

SMALL = str(SOURCE / "tests/data/small.yaml")


def long_scenario():
    return faultline.load_scenario(SMALL).with_(population={"borrowers": 8000})


def test_keyboard_interrupt_stops_the_run():
    s = long_scenario()
    started = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, planned: int) -> None:
        seen.append((done, planned))
        started.set()

    def interrupt() -> None:
        started.wait(60)
        _thread.interrupt_main()  # as Ctrl-C: SIGINT's handler runs in the main thread

    threading.Thread(target=interrupt, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        faultline.run(s, replications=200, jobs=1, progress=progress)
    waited = time.monotonic() - t0
    done, planned = seen[-1]
    assert planned == 400 and done < planned, seen[-3:]
    print(f"\ninterrupted after {done} of {planned} runs, {waited:.2f} s after the start")

    # Nothing left behind: a new run works and equals a fresh interpreter's.
    again = faultline.run(s, replications=2, jobs=2, progress=False)
    code = (
        "import faultline\n"
        f"s = faultline.load_scenario({SMALL!r}).with_(population={{'borrowers': 8000}})\n"
        "print(faultline.run(s, replications=2, jobs=2, progress=False).to_json(), end='')\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    assert again.to_json() == fresh.stdout


def test_an_exception_in_the_progress_callback_stops_the_run():
    calls = []

    def progress(done: int, planned: int) -> None:
        calls.append(done)
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        faultline.run(long_scenario(), replications=200, jobs=2, progress=progress)
    assert len(calls) == 1


def test_sigint_to_a_python_process():
    code = (
        "import faultline, sys\n"
        f"s = faultline.load_scenario({SMALL!r}).with_(population={{'borrowers': 8000}})\n"
        "def progress(done, planned):\n"
        "    print(done, planned, flush=True)\n"
        "faultline.run(s, replications=500, jobs=2, progress=progress)\n"
        "print('finished', flush=True)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        first = p.stdout.readline()  # the run has started
        assert first.split()[1] == "1000", first
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=120)
        latency = time.monotonic() - sent
    finally:
        if p.poll() is None:
            p.kill()
    assert "finished" not in out
    assert "KeyboardInterrupt" in err, err
    assert p.returncode != 0
    last = [line for line in (first + out).splitlines() if line.strip()][-1]
    done = int(last.split()[0])
    assert done < 1000
    print(f"\nSIGINT → KeyboardInterrupt in {latency:.2f} s, after {done} of 1000 runs")
