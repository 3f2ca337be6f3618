// The hand-written baseline of issue 7's reference workload ("reminder fan-out": 1e6
// borrowers, one SMS vendor at 500/s, 90% pay after ~6 h), timed in wall-clock time with
// its peak memory. The faultline scenario of the same workload is measured against these
// figures on the same machine in the same suite run; 1e5 and 1e7 show how cost grows.
//
// Two shapes of the loop: BM_ReferenceLoop preloads every reminder into its heap (issue
// 7's baseline); BM_ReferenceStream streams them in time order, the heap holding only
// pending payments (issue 21's practical limit). BM_ReferenceSideBySide runs both and the
// faultline CLI on the same workload alternately, round after round, in one process, and
// reports medians and the CLI's ratios: the figure issue 21's target is judged by.
//
// The CLI is the faultline built beside the bench, or $FAULTLINE_BINARY when set; with
// $FAULTLINE_BASELINE_BINARY set, that binary (e.g. main's, for a before/after) joins the
// rotation as a fourth program, with its own medians and the ratio cli / baseline.
//
// Counters: events (per run), events_per_s, bytes_per_borrower (peak RSS delta over one
// run / borrowers; method and limits in peak_memory.h), paid, delivered.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/bench/peak_memory.h"
#include "tests/bench/reference_workload.h"

namespace faultline::bench {
namespace {

template <bool kStreaming>
void reference_loop(benchmark::State& state) {
  ReferenceConfig config;
  config.borrowers = static_cast<std::uint64_t>(state.range(0));
  ReferenceResult result;
  std::int64_t peak_delta_bytes_max = 0;
  bool reset_ok = true;
  for (auto _ : state) {
    // The probe reads /proc: keep it out of the timed region.
    state.PauseTiming();
    PeakRssProbe probe;
    probe.start();
    state.ResumeTiming();

    result = kStreaming ? run_reference_workload_streaming(config) : run_reference_workload(config);
    benchmark::DoNotOptimize(result);

    state.PauseTiming();
    peak_delta_bytes_max = std::max(peak_delta_bytes_max, probe.peak_delta_bytes());
    reset_ok = reset_ok && probe.reset_ok();
    state.ResumeTiming();
  }
  const double events = static_cast<double>(result.events);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * result.events));
  state.counters["events"] = events;
  state.counters["events_per_s"] = benchmark::Counter(
      events * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_borrower"] =
      static_cast<double>(peak_delta_bytes_max) / static_cast<double>(config.borrowers);
  state.counters["paid"] = static_cast<double>(result.paid);
  state.counters["delivered"] = static_cast<double>(result.delivered);
  // 0 means the fallback (getrusage) was used and only the first run's delta is valid.
  state.counters["rss_reset_ok"] = reset_ok ? 1 : 0;
  state.counters["peak_pending"] = static_cast<double>(result.peak_pending);
}

void BM_ReferenceLoop(benchmark::State& state) {
  reference_loop<false>(state);
}
void BM_ReferenceStream(benchmark::State& state) {
  reference_loop<true>(state);
}

// --- The CLI beside both loops ---------------------------------------------------------

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU time of this process (user + system): on a shared machine the loops' wall time
// includes waiting for a core; CPU time does not.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double load_average() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

// tests/bench/reference-scenario.yaml with `borrowers:` set to n, in a scratch folder.
std::filesystem::path scenario_copy(const std::filesystem::path& dir, std::int64_t n) {
  std::ifstream in(std::filesystem::path(FAULTLINE_SOURCE_DIR) /
                   "tests/bench/reference-scenario.yaml");
  std::ostringstream out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  borrowers:", 0) == 0) line = "  borrowers: " + std::to_string(n);
    out << line << '\n';
  }
  const auto path = dir / ("reference-" + std::to_string(n) + ".yaml");
  std::ofstream(path) << out.str();
  return path;
}

struct ChildRun {
  double wall_s = 0;
  double cpu_s = 0;  // user + system of the child
  double peak_rss_mib = 0;
};

// One `faultline run` in its own process, as a user runs it: whole-process wall time
// (start-up, parse, population, simulation, output files) and its peak RSS.
const char* cli_binary() {
  const char* env = std::getenv("FAULTLINE_BINARY");
  return env != nullptr && *env != '\0' ? env : FAULTLINE_BINARY;
}

ChildRun run_cli(const char* binary, const std::filesystem::path& scenario,
                 const std::filesystem::path& out) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    // Progress lines would interleave with the benchmark's table; failure shows as the
    // exit status (the benchmark then stops with an error).
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
    if (std::freopen("/dev/null", "w", stderr) == nullptr) _exit(127);
    execl(binary, binary, "run", scenario.c_str(), "--jobs", "1", "--replications", "1", "--out",
          out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  ChildRun r;
  r.wall_s = seconds_since(t0);
  r.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
  const auto secs = [](const timeval& v) {
    return static_cast<double>(v.tv_sec) + static_cast<double>(v.tv_usec) * 1e-6;
  };
  r.cpu_s = secs(usage.ru_utime) + secs(usage.ru_stime);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) r.wall_s = -1;
  return r;
}

void BM_ReferenceSideBySide(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto rounds = static_cast<int>(state.range(1));
  ReferenceConfig config;
  config.borrowers = static_cast<std::uint64_t>(n);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("faultline-side-by-side-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto scenario = scenario_copy(dir, n);
  std::vector<double> preload_s, stream_s, cli_s, cli_rss, cli_over_stream, cli_over_preload,
      stream_over_preload, preload_cpu, stream_cpu, cli_cpu, cli_cpu_over_stream, base_s, base_cpu,
      cli_cpu_over_base, base_cpu_over_stream;
  const char* baseline = std::getenv("FAULTLINE_BASELINE_BINARY");
  if (baseline != nullptr && *baseline == '\0') baseline = nullptr;
  const int programs = baseline != nullptr ? 4 : 3;
  const double load_before = load_average();
  for (auto _ : state) {
    for (int round = 0; round < rounds; ++round) {
      double t[4] = {0, 0, 0, 0};
      double cpu[4] = {0, 0, 0, 0};
      for (int k = 0; k < programs; ++k) {  // a different one goes first each round
        const int which = (round + k) % programs;
        if (which >= 2) {
          const ChildRun c = run_cli(which == 2 ? cli_binary() : baseline, scenario, dir / "out");
          if (c.wall_s < 0) {
            state.SkipWithError("faultline run failed");
            return;
          }
          t[which] = c.wall_s;
          cpu[which] = c.cpu_s;
          if (which == 2) cli_rss.push_back(c.peak_rss_mib);
          continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_seconds();
        const ReferenceResult r =
            which == 0 ? run_reference_workload(config) : run_reference_workload_streaming(config);
        benchmark::DoNotOptimize(r);
        t[which] = seconds_since(t0);
        cpu[which] = cpu_seconds() - c0;
      }
      preload_s.push_back(t[0]);
      stream_s.push_back(t[1]);
      cli_s.push_back(t[2]);
      cli_over_stream.push_back(t[2] / t[1]);
      cli_over_preload.push_back(t[2] / t[0]);
      stream_over_preload.push_back(t[1] / t[0]);
      preload_cpu.push_back(cpu[0]);
      stream_cpu.push_back(cpu[1]);
      cli_cpu.push_back(cpu[2]);
      cli_cpu_over_stream.push_back(cpu[2] / cpu[1]);
      if (baseline != nullptr) {
        base_s.push_back(t[3]);
        base_cpu.push_back(cpu[3]);
        cli_cpu_over_base.push_back(cpu[2] / cpu[3]);
        base_cpu_over_stream.push_back(cpu[3] / cpu[1]);
      }
    }
  }
  std::filesystem::remove_all(dir);
  state.counters["rounds"] = rounds;
  state.counters["preload_s"] = median(preload_s);
  state.counters["stream_s"] = median(stream_s);
  state.counters["cli_s"] = median(cli_s);
  state.counters["cli_peak_rss_mib"] = median(cli_rss);
  state.counters["cli_over_stream"] = median(cli_over_stream);
  state.counters["cli_over_preload"] = median(cli_over_preload);
  state.counters["stream_over_preload"] = median(stream_over_preload);
  state.counters["preload_cpu_s"] = median(preload_cpu);
  state.counters["stream_cpu_s"] = median(stream_cpu);
  state.counters["cli_cpu_s"] = median(cli_cpu);
  state.counters["cli_cpu_over_stream"] = median(cli_cpu_over_stream);
  if (baseline != nullptr) {
    state.counters["base_s"] = median(base_s);
    state.counters["base_cpu_s"] = median(base_cpu);
    state.counters["cli_cpu_over_base"] = median(cli_cpu_over_base);
    state.counters["base_cpu_over_stream"] = median(base_cpu_over_stream);
  }
  state.counters["load_before"] = load_before;
  state.counters["load_after"] = load_average();
}

// Each run is deterministic, so few iterations suffice; 1e7 is one run of a few seconds.
BENCHMARK(BM_ReferenceLoop)
    ->Arg(100'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceLoop)
    ->Arg(1'000'000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceLoop)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceStream)
    ->Arg(100'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceStream)
    ->Arg(1'000'000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceStream)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// {borrowers, rounds}: each round runs the preloading loop, the streaming loop and the CLI
// once, in rotating order; counters are medians over the rounds.
BENCHMARK(BM_ReferenceSideBySide)
    ->Args({100'000, 9})
    ->Args({1'000'000, 9})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace faultline::bench

BENCHMARK_MAIN();
