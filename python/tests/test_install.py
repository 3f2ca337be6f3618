"""The install the README documents, for real: a venv that sees Debian's packages and
`pip install --no-build-isolation ./python`, offline (PIP_NO_INDEX: nothing may be
fetched), CMake underneath. Then the installed package runs a scenario from outside the
source tree, with Debian's pandas.

The build folder is kept under the test's build tree, so a second run only rebuilds
what changed; on a clean clone it is a Release build of the simulator's libraries.
Not registered under the sanitizer preset (python/tests.cmake): this builds its own
Release module, so running it there would only repeat the dev run's build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SOURCE


def test_pip_install_into_a_venv(tmp_path):
    work = Path(os.environ.get("FAULTLINE_TEST_WORK", tmp_path))
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LD_PRELOAD")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               CMAKE_BUILD_PARALLEL_LEVEL=env.get("CMAKE_BUILD_PARALLEL_LEVEL", "2"))
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--no-build-isolation", "./python",
         "--config-settings", f"build-dir={work / 'pip-build'}"],
        cwd=SOURCE, env=env, capture_output=True, text=True, timeout=3000)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert "Successfully installed faultline" in install.stdout

    code = (
        "import faultline, pandas, sys\n"
        "print(faultline.__file__)\n"
        "print(pandas.__file__)\n"
        f"s = faultline.load_scenario({str(SOURCE / 'tests/data/small.yaml')!r})\n"
        "r = faultline.run(s.with_(population={'borrowers': 2000}), replications=2, progress=False)\n"
        "m = r.summary.query(\"metric == 'missed_payment_rate'\")\n"
        "print(len(m), list(m['strategy']))\n"
    )
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    module, pandas, rows = done.stdout.splitlines()
    assert module.startswith(str(venv)), module  # the installed package, not the build tree's
    assert pandas.startswith("/usr/lib/python3/dist-packages"), pandas  # Debian's pandas
    assert rows == "2 ['baseline', 'failover']"
