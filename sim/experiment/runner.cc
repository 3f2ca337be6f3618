#include "sim/experiment/runner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/engines/simgrid/engine.h"
#include "sim/experiment/sequential.h"
#include "sim/model/plugin.h"
#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/random/hash.h"

namespace faultline {

namespace {
// Points share replication seeds (common random numbers across the sweep; see the
// header), so the point argument of replication_seed is this constant.
constexpr std::uint64_t kSharedPointSeed = 0;
}  // namespace

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t point,
                               std::uint64_t replication) {
  return combine(base_seed, point, replication);
}

ExperimentResult run_experiment(std::span<const SweepPoint> points,
                                const ExperimentOptions& options) {
  if (points.empty()) return {};
  const Scenario& first = points.front().scenario;
  std::vector<int> reps;
  if (options.only_replication) {
    reps.push_back(*options.only_replication);
  } else {
    const int count =
        options.replication_count.value_or(first.replications - options.first_replication);
    for (int r = 0; r < count; ++r) reps.push_back(options.first_replication + r);
  }
  const std::size_t strategies = first.strategies.size();
  const std::size_t tasks = points.size() * reps.size();  // task = (point, replication)
  ExperimentResult result;
  result.records.resize(tasks * strategies);

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> peak_bytes{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    for (std::size_t task = next++; task < tasks; task = next++) {
      try {
        const std::size_t p = task / reps.size();
        const Scenario& s = points[p].scenario;
        const int rep = reps[task % reps.size()];
        const std::uint64_t seed =
            replication_seed(s.seed, kSharedPointSeed, static_cast<std::uint64_t>(rep));
        const bool independent = options.seeds == SeedPolicy::kIndependentStrategies;
        std::optional<Population> shared;
        if (!independent) shared.emplace(Population::generate(s, seed));
        for (std::size_t st = 0; st < strategies; ++st) {
          const std::uint64_t run_seed = independent ? combine(seed, st + 1) : seed;
          std::optional<Population> own;
          if (independent) own.emplace(Population::generate(s, run_seed));
          const Population& population = independent ? *own : *shared;
          std::size_t seen = peak_bytes.load();
          while (seen < population.bytes() &&
                 !peak_bytes.compare_exchange_weak(seen, population.bytes())) {
          }
          // The SimGrid engine runs each run in a child process (sim/engines/simgrid/engine.h).
          const RunOutput out = s.engine == EngineKind::kSimgrid
                                    ? run_simgrid(s, population, s.strategies[st], run_seed).run
                                    : [&] {
                                        World world(s, population, run_seed);
                                        world.configure(s.strategies[st]);
                                        return world.run();
                                      }();
          RunRecord& rec = result.records[task * strategies + st];
          rec = {static_cast<int>(p),
                 static_cast<int>(st),
                 rep,
                 run_seed,
                 compute_metrics(out.counters),
                 out.counters.events,
                 out.counters.series,
                 out.counters.delivery_latency,
                 out.counters.channel_latency};
          if (options.on_run_done) options.on_run_done();
        }
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = tasks;  // stop handing out work
      }
    }
  };
  int jobs = std::clamp(options.jobs, 1, std::max(1, static_cast<int>(tasks)));
#if defined(__SANITIZE_ADDRESS__)
  // The SimGrid engine forks a child per run. Under AddressSanitizer a fork from one
  // worker thread while another holds ASan's allocator lock leaves the child blocked on
  // that lock forever (seen in CI), so sanitizer builds fork from the main thread only.
  // Outputs do not depend on the job count, so results are unchanged.
  if (first.engine == EngineKind::kSimgrid) jobs = 1;
#endif
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  for (const auto& r : result.records) result.events += r.events;
  result.peak_population_bytes = peak_bytes.load();
  return result;
}

ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options) {
  std::vector<SweepPoint> points = expand_sweep(scenario, builtin_catalogues());
  ExperimentResult result;
  if (scenario.precision.enabled() && !options.only_replication) {
    PrecisionOutcome outcome;
    result = run_sequential(points, scenario.precision, options, outcome);
    result.precision = std::move(outcome);
  } else {
    if (options.on_total) {
      const int reps = options.only_replication
                           ? 1
                           : options.replication_count.value_or(scenario.replications -
                                                                options.first_replication);
      options.on_total(points.size() * scenario.strategies.size() * static_cast<std::size_t>(reps));
    }
    result = run_experiment(points, options);
  }
  result.points = std::move(points);
  return result;
}

void merge_results(ExperimentResult& into, ExperimentResult&& more, std::size_t points) {
  if (into.records.empty()) {
    into = std::move(more);
    return;
  }
  const std::size_t a = into.records.size() / points, b = more.records.size() / points;
  std::vector<RunRecord> merged;
  merged.reserve(into.records.size() + more.records.size());
  for (std::size_t p = 0; p < points; ++p) {
    std::move(into.records.begin() + static_cast<std::ptrdiff_t>(p * a),
              into.records.begin() + static_cast<std::ptrdiff_t>((p + 1) * a),
              std::back_inserter(merged));
    std::move(more.records.begin() + static_cast<std::ptrdiff_t>(p * b),
              more.records.begin() + static_cast<std::ptrdiff_t>((p + 1) * b),
              std::back_inserter(merged));
  }
  into.records = std::move(merged);
  into.events += more.events;
  into.peak_population_bytes = std::max(into.peak_population_bytes, more.peak_population_bytes);
}

}  // namespace faultline
