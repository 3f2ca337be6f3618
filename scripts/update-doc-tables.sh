#!/usr/bin/env bash
# Regenerates the tables in docs/*.md that come from the plug-in registries and the metric
# catalogue: every block between
#   <!-- faultline list ARGS -->   and   <!-- end faultline list -->
# is replaced by the output of `faultline list ARGS`. tests/unit/doc_tables_test.cc fails
# when a block differs from what the registry says, so run this after adding or changing
# a fault, a mitigation or a metric.
#
# Usage: scripts/update-doc-tables.sh [path/to/faultline]   (default: build/dev/sim/faultline)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build/dev/sim/faultline}"
[[ -x "$bin" ]] || { echo "update-doc-tables: no faultline binary at $bin (build it first)" >&2; exit 2; }
/usr/bin/python3 - "$bin" "$root"/docs/*.md <<'PY'
import re, subprocess, sys, os
binary, files = sys.argv[1], sys.argv[2:]
block = re.compile(r"(<!-- faultline list (.*?) -->\n)(.*?)(<!-- end faultline list -->)", re.S)
for path in files:
    text = open(path, encoding="utf-8").read()
    def regenerate(m):
        out = subprocess.run([binary, "list", *m.group(2).split()], check=True,
                             capture_output=True, text=True).stdout
        return m.group(1) + out + m.group(4)
    new = block.sub(regenerate, text)
    if new != text:
        tmp = path + ".tmp"
        open(tmp, "w", encoding="utf-8").write(new)
        os.replace(tmp, path)
        print("updated", os.path.relpath(path))
PY
