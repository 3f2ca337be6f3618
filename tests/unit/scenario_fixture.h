// A small scenario for model tests, built in code so each test states the one thing it
// changes. 20,000 borrowers due on days 5-8, one reminder at 09:00 the day before.
#pragma once

#include <string>

#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/scenario/parser.h"

namespace faultline::testing {

inline std::string small_scenario(const std::string& faults, const std::string& strategies,
                                  const std::string& vendors =
                                      "    alpha: {capacity: 500/s, failure_probability: 5%}\n"
                                      "    beta: {capacity: 200/s, failure_probability: 5%}\n") {
  return "scenario: small\nhorizon: 15d\nseed: 7\nreplications: 4\n"
         "population:\n  borrowers: 20000\n  due_day: uniform(5, 8)\n"
         "channels:\n  sms: {vendors: [alpha, beta]}\n"
         "infrastructure:\n  vendors:\n" + vendors +
         "reminders:\n  - {before_due: 1d}\n" + faults + "strategies:\n" + strategies;
}

inline Scenario parse_text(const std::string& text) {
  return parse_scenario_text(text, "test.yaml", builtin_catalogues());
}

// One run of strategy `strategy` with the replication-0 seed.
inline Counters run_once(const Scenario& s, int strategy = 0) {
  const std::uint64_t seed = replication_seed(s.seed, 0, 0);
  const Population p = Population::generate(s, seed);
  World w(s, p, seed);
  w.configure(s.strategies.at(static_cast<std::size_t>(strategy)));
  return w.run().counters;
}

inline double rate(std::uint64_t a, std::uint64_t b) { return static_cast<double>(a) / static_cast<double>(b); }

}  // namespace faultline::testing
