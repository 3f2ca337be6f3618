#!/usr/bin/env bash
# Installs the npm test clients of tests/adapters (pinned in package.json, locked in
# package-lock.json) into DEST/node_modules from the npm registry. Run at setup time
# (scripts/test.sh does), never at build time; DEST is under build/, never committed.
#   tests/adapters/npm/install.sh build/npm/proxy
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:?usage: install.sh DEST}"
mkdir -p "$dest"
if [[ -f "$dest/package-lock.json" ]] && cmp -s "$here/package-lock.json" "$dest/package-lock.json" \
   && [[ -d "$dest/node_modules/toxiproxy-node-client" ]]; then
  echo "npm test clients: up to date in $dest"
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
echo "npm test clients: installed in $dest"
