#include "sim/experiment/runner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/random/hash.h"

namespace faultline {

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t point, std::uint64_t replication) {
  return combine(base_seed, point, replication);
}

ExperimentResult run_experiment(const Scenario& s, const ExperimentOptions& options) {
  std::vector<int> reps;
  if (options.only_replication) reps.push_back(*options.only_replication);
  else
    for (int r = 0; r < s.replications; ++r) reps.push_back(r);
  const int strategies = static_cast<int>(s.strategies.size());
  ExperimentResult result;
  result.records.resize(reps.size() * static_cast<std::size_t>(strategies));

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> peak_bytes{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    for (std::size_t task = next++; task < reps.size(); task = next++) {
      try {
        const int rep = reps[task];
        const std::uint64_t seed = replication_seed(s.seed, 0, static_cast<std::uint64_t>(rep));
        const Population population = Population::generate(s, seed);
        std::size_t seen = peak_bytes.load();
        while (seen < population.bytes() && !peak_bytes.compare_exchange_weak(seen, population.bytes())) {}
        for (int st = 0; st < strategies; ++st) {
          World world(s, population, seed);
          world.configure(s.strategies[static_cast<std::size_t>(st)]);
          const RunOutput out = world.run();
          RunRecord& rec = result.records[task * static_cast<std::size_t>(strategies) + static_cast<std::size_t>(st)];
          rec = {st, rep, seed, compute_metrics(out.counters), out.counters.events,
                 out.counters.series, out.counters.delivery_latency};
        }
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = reps.size();  // stop handing out work
      }
    }
  };
  const int jobs = std::clamp(options.jobs, 1, std::max(1, static_cast<int>(reps.size())));
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  for (const auto& r : result.records) result.events += r.events;
  result.peak_population_bytes = peak_bytes.load();
  return result;
}

}  // namespace faultline
