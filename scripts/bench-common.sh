# Sourced by the measurement scripts (bench.sh, bench-vendor.sh, perf.sh, scaleout-bench.sh),
# so each records its machine and finds its output folder the same way.

# bench_begin DEFAULT_OUT [OUT]: works from the repository root; $out_dir is OUT (or
# DEFAULT_OUT), created and made absolute; $bin is the release faultline (FAULTLINE overrides).
bench_begin() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  out_dir="${2:-$1}"
  mkdir -p "$out_dir"
  out_dir="$(cd "$out_dir" && pwd)"
  bin="${FAULTLINE:-build/release/sim/faultline}"
}

# bench_require_bin NAME: exit 2 with how to build it when $bin is missing.
bench_require_bin() {
  [[ -x "$bin" ]] || {
    echo "$1: no faultline binary at $bin (cmake --preset release && cmake --build --preset release)" >&2
    exit 2
  }
}

load_average() { cut -d ' ' -f 1-3 /proc/loadavg; }

# bench_machine FILE: what the figures were measured on — date, commit, CPU, compiler, load.
bench_machine() {
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "git: $(git rev-parse --verify -q HEAD || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
    echo "binary: $bin"
    echo "nproc: $(nproc)"
    echo "compiler: $(c++ --version | head -n 1)"
    echo "load average: $(load_average)"
    lscpu | grep -v '^Flags:' | head -n 20
  } >"$1"
}
