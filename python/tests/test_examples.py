"""python/examples: the script and the notebook made from it run and draw their PNGs.

Both run the flagship made small (3,000 borrowers, 2 replications) so the test takes
seconds; the notebook is executed by nbclient in a real Jupyter kernel (Debian's
python3-nbclient and python3-ipykernel), and must be exactly what make_notebook.py
writes from the script.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
import sys

import pytest

from conftest import SOURCE

EXAMPLES = SOURCE / "python" / "examples"
PNGS = ["missed_payment_rate_by_strategy.png", "missed_payment_rate_vs_duration.png"]


def small_env(out) -> dict:
    env = dict(os.environ)
    env.update(FAULTLINE_EXAMPLE_BORROWERS="3000", FAULTLINE_EXAMPLE_REPLICATIONS="2",
               FAULTLINE_EXAMPLE_OUT=str(out), MPLBACKEND="Agg",
               PYDEVD_DISABLE_FILE_VALIDATION="1")  # ipykernel's debugger, quiet
    return env


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def check_pngs(out) -> None:
    for name in PNGS:
        assert png_size(out / name) == (840, 420), name  # 7 × 3.5 in at 120 dpi
        assert (out / name).stat().st_size > 10_000, f"{name} looks empty"


def test_the_script_draws_its_pngs(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "compare_strategies.py")],
                          env=small_env(tmp_path), capture_output=True, text=True, timeout=900,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "missed_payment_rate_by_strategy.png" in done.stdout
    assert "failover_resend" in done.stdout  # the strategies' table was printed
    check_pngs(tmp_path)


def load_maker():
    spec = importlib.util.spec_from_file_location("make_notebook", EXAMPLES / "make_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebook_is_the_script():
    import nbformat

    maker = load_maker()
    expected = nbformat.writes(maker.notebook(EXAMPLES / "compare_strategies.py")) + "\n"
    committed = (EXAMPLES / "compare_strategies.ipynb").read_text(encoding="utf-8")
    assert committed == expected, "run python/examples/make_notebook.py"


def test_the_notebook_runs_in_a_kernel(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient", reason="scripts/setup.sh --test installs python3-nbclient")
    import nbformat

    for key, value in small_env(tmp_path).items():
        monkeypatch.setenv(key, value)  # the kernel inherits them
    nb = nbformat.read(EXAMPLES / "compare_strategies.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    check_pngs(tmp_path)
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert any("missed_payment_rate" in h and "Δ vs baseline" in h for h in html), \
        "the Results table (_repr_html_) was not displayed"
