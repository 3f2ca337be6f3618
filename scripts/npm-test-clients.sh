#!/usr/bin/env bash
# Installs the npm test clients (the official `twilio` helper library for the SMS-vendor
# emulator's tests and examples) from the npm registry into build/npm/vendor, exactly as
# tests/vendor/node/package-lock.json pins them. Needs the npm registry at setup time only;
# the tests themselves never touch the network. Idempotent: skipped when already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
src=tests/vendor/node
dst=build/npm/vendor
if ! command -v npm >/dev/null; then
  echo "npm-test-clients: npm is missing (Node.js 20+ with npm: scripts/setup.sh --test)" >&2
  exit 2
fi
mkdir -p "$dst"
if [[ -d "$dst/node_modules/twilio" ]] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
  echo "npm-test-clients: $dst is up to date"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dst/"
(cd "$dst" && npm ci --no-audit --no-fund --loglevel=error)
echo "npm-test-clients: installed $(node -p "require('./$dst/node_modules/twilio/package.json').version" 2>/dev/null || echo '?') of twilio into $dst"
