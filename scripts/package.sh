#!/usr/bin/env bash
# Builds the Debian package: the `package` preset (Release, no tests) builds only the
# faultline binary and the man page and completions it generates, then CPack writes
# build/package/faultline_<version>_amd64.deb (Depends: from dpkg-shlibdeps).
#   scripts/package.sh             build the .deb
#   scripts/package.sh --install   also install it with apt-get (as root or with sudo) and
#                                  check the installed tool from a folder outside the tree:
#                                  --version, the man page, the completions, `faultline
#                                  init`, and the flagship from /usr/share/faultline/scenarios
# .ci/run calls it with --install. docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/setup.sh
start=$(date +%s)
cmake --preset package >/dev/null
cmake --build --preset package
(cd build/package && cpack -G DEB >/dev/null)
deb=$(ls build/package/faultline_*_amd64.deb)
echo "package: $deb built in $(( $(date +%s) - start )) s"
dpkg-deb --field "$deb" Package Version Architecture Depends
[[ "${1:-}" == "--install" ]] || exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends "$root/$deb" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # outside the source tree: nothing of it is reachable from here
bin=/usr/bin/faultline
$bin --version | grep -q "(git .*, Release build)" || { echo "package: --version is not a Release build" >&2; exit 1; }
for f in /usr/share/man/man1/faultline.1.gz /usr/share/bash-completion/completions/faultline \
         /usr/share/zsh/vendor-completions/_faultline /usr/share/fish/vendor_completions.d/faultline.fish \
         /usr/share/faultline/scenarios/scenario.schema.json; do
  [[ -s "$f" ]] || { echo "package: $f is missing" >&2; exit 1; }
done
$bin init --template gateway-failure mine.yaml >/dev/null
grep -q '^# yaml-language-server: $schema=/usr/share/faultline/scenarios/scenario.schema.json$' mine.yaml \
  || { echo "package: init does not point at the installed schema" >&2; exit 1; }
$bin validate mine.yaml
start=$(date +%s)
$bin run /usr/share/faultline/scenarios/flagship-vendor-outage.yaml --report report.html
[[ -s out/flagship-vendor-outage/results.json && -s report.html ]] \
  || { echo "package: the flagship wrote no results or report" >&2; exit 1; }
echo "package: installed faultline ran the flagship in $(( $(date +%s) - start )) s from $work"
# The SimGrid engine is a module faultline loads only for `engine: simgrid`, found relative
# to the binary (/usr/bin → /usr/lib/…/faultline): LD_DEBUG shows which file was loaded.
sed 's/borrowers: 200000/borrowers: 2000/' /usr/share/faultline/scenarios/network-cutover-export.yaml > net.yaml
LD_DEBUG=files $bin run net.yaml --replications 1 --out net 2> net.log >/dev/null \
  || { echo "package: the SimGrid engine failed:" >&2; grep -v '^ *[0-9]*:' net.log >&2; exit 1; }
grep -q 'file=/usr/lib/.*faultline/libfaultline_simgrid.so .*dynamically loaded' net.log \
  || { echo "package: the SimGrid module was not loaded from /usr/lib" >&2; exit 1; }
echo "package: installed faultline ran a SimGrid scenario with its installed module"
