#!/usr/bin/python3
"""Builds the browser-harness fixtures: inlines the vendored Vega bundles into them.

The fixtures in tests/browser/fixtures/ carry a `<!-- faultline:vega-scripts -->`
placeholder instead of ~850 KB of JavaScript, so the repository does not hold a second
copy of third_party/vega. This writes each fixture to OUT_DIR with the placeholder
replaced by three inline <script> elements (vega, vega-lite, vega-embed, in load order),
the same way the HTML report inlines them.

Usage: make_fixture.py OUT_DIR [--vega-dir DIR]   (prints the paths it wrote)
"""

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
PLACEHOLDER = "<!-- faultline:vega-scripts -->"
BUNDLES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


def inline_scripts(vega_dir):
    parts = []
    for name in BUNDLES:
        code = (vega_dir / name).read_text(encoding="utf-8")
        # "</script" inside the code would end the element early.
        if "</script" in code.lower():
            sys.exit(f"make_fixture: {name} contains '</script'; cannot inline it")
        parts.append(f"<script>/* {name} */\n{code}\n</script>")
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--vega-dir", type=pathlib.Path,
                        default=HERE.parent.parent / "third_party" / "vega")
    args = parser.parse_args()

    scripts = inline_scripts(args.vega_dir)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for fixture in sorted((HERE / "fixtures").glob("*.html")):
        html = fixture.read_text(encoding="utf-8")
        if html.count(PLACEHOLDER) != 1:
            sys.exit(f"make_fixture: {fixture.name} must contain {PLACEHOLDER} exactly once")
        out = args.out_dir / fixture.name
        out.write_text(html.replace(PLACEHOLDER, scripts), encoding="utf-8")
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
