#!/usr/bin/env bash
# Installs the npm test clients — the clients people already use against the adapters —
# from the npm registry, exactly as each package-lock.json pins them, into build/npm/
# (one copy for every preset; never committed):
#   tests/vendor/node   → build/npm/vendor   the official `twilio` helper library (emulator)
#   tests/adapters/npm  → build/npm/proxy    toxiproxy-node-client (fault proxy)
# Needs the npm registry at setup time only; the tests never touch the network.
# Idempotent: a set whose lockfile is unchanged and whose client is in place is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  echo "npm-test-clients: npm is missing (Node.js 20+ with npm: scripts/setup.sh --test)" >&2
  exit 2
fi

install_set() {  # SRC DEST MODULE
  local src="$1" dst="$2" module="$3"
  mkdir -p "$dst"
  if [[ -d "$dst/node_modules/$module" ]] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
    echo "npm-test-clients: $dst is up to date"
    return
  fi
  cp "$src/package.json" "$src/package-lock.json" "$dst/"
  (cd "$dst" && npm ci --no-audit --no-fund --loglevel=error)
  echo "npm-test-clients: installed $module $(node -p "require('./$dst/node_modules/$module/package.json').version" 2>/dev/null || echo '?') into $dst"
}

install_set tests/vendor/node build/npm/vendor twilio
install_set tests/adapters/npm build/npm/proxy toxiproxy-node-client
