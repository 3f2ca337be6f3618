#include "sim/experiment/runner.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/engines/simgrid/engine.h"
#include "sim/model/cycles.h"
#include "sim/model/plugin.h"
#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/random/hash.h"

namespace faultline {

namespace {
// Points share replication seeds (common random numbers across the sweep; see the
// header), so the point argument of replication_seed is this constant.
constexpr std::uint64_t kSharedPointSeed = 0;

bool cancelled(const RunControl& control) {
  return control.cancel != nullptr && control.cancel->load(std::memory_order_relaxed);
}
}  // namespace

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t point,
                               std::uint64_t replication) {
  return combine(base_seed, point, replication);
}

std::vector<WorkUnit> work_units(std::span<const SweepPoint> points, int first, int end) {
  std::vector<WorkUnit> out;
  for (std::size_t p = 0; p < points.size(); ++p)
    for (int r = first; r < end; ++r)
      out.push_back({static_cast<int>(p), r,
                     replication_seed(points[p].scenario.seed, kSharedPointSeed,
                                      static_cast<std::uint64_t>(r))});
  return out;
}

namespace {

// One run of one strategy, by the engine and cycle count the scenario asks for.
RunOutput run_strategy(const Scenario& s, const Population& population,
                       const StrategySpec& strategy, std::uint64_t run_seed,
                       const RunControl& control) {
  // The SimGrid engine runs each run in a child process (sim/engines/simgrid/engine.h).
  if (s.engine == EngineKind::kSimgrid)
    return run_simgrid(s, population, strategy, run_seed, control.engine_log).run;
  if (s.population.cycles > 1) return run_cycles(s, population, strategy, run_seed);
  World world(s, population, run_seed);
  world.configure(strategy);
  return world.run();
}

// One unit; `done` is called after each strategy's run.
template <typename Done>
UnitResult run_one(const SweepPoint& point, const WorkUnit& unit, const RunControl& control,
                   Done&& done) {
  const Scenario& s = point.scenario;
  UnitResult out;
  out.unit = unit;
  const bool independent = control.seeds == SeedPolicy::kIndependentStrategies;
  std::optional<Population> shared;
  if (!independent) shared.emplace(Population::generate(s, unit.run_seed));
  for (std::size_t st = 0; st < s.strategies.size(); ++st) {
    if (cancelled(control)) throw Cancelled();
    const std::uint64_t run_seed = independent ? combine(unit.run_seed, st + 1) : unit.run_seed;
    std::optional<Population> own;
    if (independent) own.emplace(Population::generate(s, run_seed));
    const Population& population = independent ? *own : *shared;
    out.population_bytes = std::max(out.population_bytes, population.bytes());
    RunOutput run = run_strategy(s, population, s.strategies[st], run_seed, control);
    out.runs.push_back({unit.point, static_cast<int>(st), unit.replication, run_seed,
                        compute_metrics(run.counters), run.counters.events, run.counters.series,
                        run.counters.delivery_latency, run.counters.channel_latency,
                        std::move(run.cycle_metrics)});
    out.events += run.counters.events;
    done();
  }
  return out;
}

}  // namespace

UnitResult run_unit(const SweepPoint& point, const WorkUnit& unit, const RunControl& control) {
  return run_one(point, unit, control, [&] {
    if (control.on_run_done) control.on_run_done(1);
  });
}

std::vector<UnitResult> run_units(std::span<const SweepPoint> points,
                                  std::span<const WorkUnit> units, const RunControl& control) {
  std::vector<UnitResult> results(units.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // guards error and the progress callback
  std::exception_ptr error;
  std::size_t runs_done = 0;
  const auto done = [&] {
    const std::lock_guard lock(mutex);
    ++runs_done;
    if (control.on_run_done) control.on_run_done(runs_done);
  };
  auto worker = [&] {
    for (std::size_t i = next++; i < units.size(); i = next++) {
      try {
        if (cancelled(control)) throw Cancelled();
        const WorkUnit& unit = units[i];
        results[i] = run_one(points[static_cast<std::size_t>(unit.point)], unit, control, done);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        next = units.size();  // stop handing out work
      }
    }
  };
  int jobs = std::clamp(control.jobs, 1, std::max(1, static_cast<int>(units.size())));
#if defined(__SANITIZE_ADDRESS__)
  // The SimGrid engine forks a child per run. Under AddressSanitizer a fork from one
  // worker thread while another holds ASan's allocator lock leaves the child blocked on
  // that lock forever (seen in CI), so sanitizer builds fork from the main thread only.
  // Outputs do not depend on the job count, so results are unchanged.
  if (!points.empty() && points.front().scenario.engine == EngineKind::kSimgrid) jobs = 1;
#endif
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  // Ctrl-C also reaches the SimGrid engine's children, whose runs then fail: that is the
  // cancellation, not an error of its own.
  if (cancelled(control)) throw Cancelled();
  if (error) std::rethrow_exception(error);
  return results;
}

void assemble(ExperimentResult& into, std::vector<UnitResult>&& units, std::size_t points) {
  std::sort(units.begin(), units.end(), [](const UnitResult& a, const UnitResult& b) {
    return std::pair(a.unit.point, a.unit.replication) <
           std::pair(b.unit.point, b.unit.replication);
  });
  // Group the new runs by point, then interleave them after each point's earlier ones.
  std::vector<std::vector<RunRecord>> by_point(points);
  for (UnitResult& u : units) {
    into.events += u.events;
    into.peak_population_bytes = std::max(into.peak_population_bytes, u.population_bytes);
    auto& slot = by_point.at(static_cast<std::size_t>(u.unit.point));
    std::move(u.runs.begin(), u.runs.end(), std::back_inserter(slot));
  }
  const std::size_t old_per_point = into.records.size() / std::max<std::size_t>(1, points);
  std::vector<RunRecord> merged;
  merged.reserve(into.records.size() + by_point.front().size() * points);
  for (std::size_t p = 0; p < points; ++p) {
    if (by_point[p].size() != by_point.front().size())
      throw std::logic_error("assemble: the points have different numbers of runs");
    const auto from = into.records.begin() + static_cast<std::ptrdiff_t>(p * old_per_point);
    std::move(from, from + static_cast<std::ptrdiff_t>(old_per_point), std::back_inserter(merged));
    std::move(by_point[p].begin(), by_point[p].end(), std::back_inserter(merged));
  }
  into.records = std::move(merged);
}

ExperimentResult run_experiment(const Scenario& scenario, const RunControl& control, int first,
                                int end) {
  ExperimentResult result;
  result.points = expand_sweep(scenario, builtin_catalogues());
  const std::vector<WorkUnit> units =
      work_units(result.points, first, end < 0 ? scenario.replications : end);
  assemble(result, run_units(result.points, units, control), result.points.size());
  return result;
}

}  // namespace faultline
