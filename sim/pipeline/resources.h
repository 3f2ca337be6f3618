// What an experiment will cost, estimated from the scenario before anything runs: events
// (borrowers × reminders, plus the per-minute monitor ticks that grow with the horizon)
// and peak memory (the runs in flight at once, plus the records every run leaves until
// the summary is written). `faultline run` and `check` refuse, with the estimate, an
// experiment that needs more memory than the machine has available or more events per
// run than `limits.max_events` allows — instead of being killed by the kernel or stopped
// by the event limit hours later — unless `--force` is given. The constants are measured
// (docs/reliability.md); the estimate is meant to be within 2× of what a run uses.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace faultline {

class Experiment;

// An experiment refused for its cost: bad input (exit 2), with the estimate in what().
struct ResourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ResourceEstimate {
  std::uint64_t runs = 0;             // point × strategy × replication (first round or max)
  std::uint64_t events_per_run = 0;   // the largest point's
  std::uint64_t events = 0;           // all runs
  std::uint64_t memory_bytes = 0;     // peak, of the whole process
  std::uint64_t available_bytes = 0;  // the machine's (MemAvailable, or the cgroup's limit)
  // Empty when it fits; else why not, in a sentence.
  std::string refusal;
};

// Per-borrower and per-record costs, measured with --profile (docs/reliability.md).
// Dev build, tests/data/small.yaml (issue 19): 1,000,000 borrowers × 1 run = 37 B per
// borrower over a 36 MiB base; 2,000 runs of 500 borrowers = 24 KiB per run record.
inline constexpr std::uint64_t kBytesPerBorrower = 40;
inline constexpr std::uint64_t kBytesPerRecord = 32 << 10;
inline constexpr std::uint64_t kBaseBytes = 40 << 20;

ResourceEstimate estimate_resources(const Experiment& experiment);
// "2.1e+06 events over 24 runs, 8.8e+04 per run; about 180 MiB of 15 GiB available".
std::string describe(const ResourceEstimate& e);
// The estimate, or ResourceError ("refusing to run: why (estimate: …; --force runs it
// anyway)") when it does not fit and `force` is false: what `run` and `check` do before
// their first run.
ResourceEstimate admit_resources(const Experiment& experiment, bool force);
// MemAvailable of /proc/meminfo, capped by a cgroup v2 memory.max; 0 when unknown.
std::uint64_t available_memory_bytes();

}  // namespace faultline
