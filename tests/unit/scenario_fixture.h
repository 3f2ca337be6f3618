// A small scenario for model tests, built in code so each test states the one thing it
// changes. 20,000 borrowers due on days 5-8, one SMS reminder at 09:00 the day before,
// no autopay (so the arithmetic in the tests stays simple), push and e-mail declared.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/scenario/parser.h"

namespace faultline::testing {

inline const std::string kTwoVendors =
    "    alpha: {capacity: 500/s, failure_probability: 5%}\n"
    "    beta: {capacity: 200/s, failure_probability: 5%}\n";

inline std::string small_scenario(const std::string& faults, const std::string& strategies,
                                  const std::string& vendors = kTwoVendors,
                                  const std::string& extra_population = "") {
  return "scenario: small\nhorizon: 15d\nseed: 7\nreplications: 4\n"
         "population:\n  borrowers: 20000\n  due_day: uniform(5, 8)\n"
         "  reachability: {autopay: 0%}\n" +
         extra_population +
         "channels:\n  sms: {vendors: [alpha, beta]}\n  push: {}\n  email: {}\n"
         "infrastructure:\n  vendors:\n" +
         vendors +
         "  carriers:\n    east: {share: 50%}\n    west: {share: 50%}\n"
         "reminders:\n  - {before_due: 1d}\n" +
         faults + "strategies:\n" + strategies;
}

// The pipeline's test experiment: 4,000 borrowers — enough for every strategy to differ,
// quick in a Debug build — with a 2-day outage of alpha, baseline and failover, plus
// `tail` (e.g. a sweep). Used by the pipeline's and scale-out's tests.
inline std::string small_failover_scenario(const std::string& tail = "", int replications = 3) {
  std::string text = small_scenario(
                         "faults:\n  - {type: vendor_outage, target: alpha, at: 4d 20:00, "
                         "duration: 2d}\n",
                         "  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n") +
                     tail;
  text.replace(text.find("borrowers: 20000"), 16, "borrowers: 4000");
  text.replace(text.find("replications: 4"), 15, "replications: " + std::to_string(replications));
  return text;
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

inline Counters run_once(const std::string& faults,
                         const std::string& strategies = "  baseline: {}\n", int strategy = 0) {
  return run_once(parse_text(small_scenario(faults, strategies)), strategy);
}

// The records of `s` (3 replications or more) are the same with 1 and with 3 jobs, and
// replication 2 run by itself reproduces its record — so any shard split does too (shards
// are sets of whole runs). Keyed draws make this hold; a shared counter would break it.
inline void expect_same_records_whatever_the_split(const Scenario& s, const std::string& what) {
  RunControl one, three;
  one.jobs = 1;
  three.jobs = 3;
  const ExperimentResult a = run_experiment(s, one), b = run_experiment(s, three);
  ASSERT_EQ(a.records.size(), b.records.size()) << what;
  ASSERT_GE(a.records.size(), 3u) << what;
  for (std::size_t i = 0; i < a.records.size(); ++i)
    EXPECT_TRUE(identical(a.records[i].metrics, b.records[i].metrics)) << what << " " << i;
  const ExperimentResult alone = run_experiment(s, one, 2, 3);  // replication 2 by itself
  ASSERT_EQ(alone.records.size(), 1u) << what;
  EXPECT_TRUE(identical(alone.records[0].metrics, a.records[2].metrics)) << what;
}

inline double rate(std::uint64_t a, std::uint64_t b) {
  return static_cast<double>(a) / static_cast<double>(b);
}
inline std::uint64_t lost(const Counters& c) {
  return c.reminders_scheduled - c.reminders_delivered;
}
// Five standard errors of a proportion p estimated from n trials.
inline double five_se(double p, double n) {
  return 5 * std::sqrt(p * (1 - p) / n);
}

}  // namespace faultline::testing
