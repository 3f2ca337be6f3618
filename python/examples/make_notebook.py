"""Writes compare_strategies.ipynb from compare_strategies.py, so the two never differ.

The script is in the "percent" format: `# %%` starts a code cell, `# %% [markdown]` a
markdown cell whose lines are comments. Run after editing the script:
    /usr/bin/python3 python/examples/make_notebook.py
python/tests/test_examples.py fails when the committed notebook is not what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def cells(script: str) -> list:
    out, kind, lines = [], None, []

    def flush() -> None:
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            out.append(nbformat.v4.new_markdown_cell(
                "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in text.splitlines())))
        elif kind == "code" and text:
            out.append(nbformat.v4.new_code_cell(text))

    for line in script.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return out


def notebook(script_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells(script_path.read_text(encoding="utf-8"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    # Stable ids, so regenerating an unchanged script changes nothing.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def main() -> int:
    script = HERE / "compare_strategies.py"
    target = HERE / "compare_strategies.ipynb"
    text = nbformat.writes(notebook(script)) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
        print("wrote", target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
