#!/usr/bin/env bash
# Installs everything faultline needs to build and test, from Debian packages only.
# Idempotent: packages already installed are skipped, and apt is not touched at all when
# nothing is missing. Run as root (or with sudo) on Debian 12 or later.
#   scripts/setup.sh          build dependencies
#   scripts/setup.sh --test   plus what the tests need (headless Chromium for the report)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  libboost-dev libboost-program-options-dev  # Asio (header-only), Program_options, Math
  libyaml-cpp-dev nlohmann-json3-dev
  libsimgrid-dev                             # ships simgrid.pc only: found via pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev                   # the Python package's extension module (python/)
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium fonts-dejavu-core)  # the browser test renders the HTML report
  packages+=(python3-yaml)                # tests/docs reads the CI examples of docs/ci.md
  packages+=(python3-jsonschema)          # tests/package validates scenarios against the schema
  packages+=(zsh fish)                    # tests/package checks the completion scripts in each shell
  # python/: its pytest suite, the DataFrames, the examples' plots and notebook, the
  # venv install test, and the progress bar.
  packages+=(python3-pandas python3-pytest python3-matplotlib python3-venv python3-tqdm)
  packages+=(python3-nbformat python3-nbclient python3-ipykernel)
  # tests/adapters runs the Toxiproxy npm client; keep a Node.js already installed.
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
  packages+=(libopenmpi-dev openmpi-bin)  # the MPI backend and its test with mpirun (docs/scale-out.md)
  packages+=(clang libclang-rt-dev)       # libFuzzer: the fuzz targets (tests/fuzz, scripts/fuzz.sh)
  packages+=(ccache)                      # .ci/run: one cache, so the package reuses Release objects
  packages+=(python3-simpy)               # tests/bench/peers: the SimPy 2 peer of the reference workload
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
