#include "sim/pipeline/resources.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string_view>

#include "sim/pipeline/experiment.h"

namespace faultline {

namespace {

// Mitigations that tick the receipt monitor every `interval` (default 1 minute) for the
// whole horizon: the one part of a run that grows with simulated time, not borrowers.
bool ticks_monitor(const StrategySpec& st) {
  return std::any_of(st.mitigations.begin(), st.mitigations.end(), [](const PluginUse& m) {
    return m.type == "vendor_failover" || m.type == "anomaly_monitoring";
  });
}

std::uint64_t events_of(const Scenario& s, const StrategySpec& st) {
  const std::uint64_t borrowers = s.population.borrowers;
  const std::uint64_t reminders = std::max<std::size_t>(1, s.reminders.size());
  // Per borrower: the payment, and per reminder the send and its delivery (measured: 1.4
  // to 1.9 per borrower with one reminder; retries and second channels add more).
  std::uint64_t events = borrowers * (2 + reminders * 2);
  std::uint64_t days = static_cast<std::uint64_t>(s.horizon / kDay) + 1;
  events += days * reminders;  // the daily reminder batches
  if (ticks_monitor(st)) {
    SimTime interval = kMinute;
    for (const PluginUse& m : st.mitigations)
      if (m.params.all().count("interval"))
        interval = std::max<SimTime>(1, m.params.time("interval"));
    events += static_cast<std::uint64_t>(s.horizon / interval);
  }
  return events;
}

std::string bytes_text(double b) {
  char buf[32];
  if (b >= 1024.0 * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1024.0 * 1024 * 1024));
  else
    std::snprintf(buf, sizeof buf, "%.0f MiB", b / (1024.0 * 1024));
  return buf;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  std::uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") {
      available = kib * 1024;
      break;
    }
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  std::string limit;
  if (cgroup >> limit && limit != "max") {
    std::ifstream current("/sys/fs/cgroup/memory.current");
    std::uint64_t used = 0;
    current >> used;
    const std::uint64_t cap = std::stoull(limit);
    const std::uint64_t left = cap > used ? cap - used : 0;
    available = available == 0 ? left : std::min(available, left);
  }
  return available;
}

ResourceEstimate estimate_resources(const Experiment& experiment) {
  ResourceEstimate e;
  const Scenario& base = experiment.scenario();
  const bool sequential = base.precision.enabled() && !experiment.options().only_replication;
  const std::uint64_t reps = static_cast<std::uint64_t>(
      sequential ? std::max(experiment.first_round(), base.precision.max_replications)
                 : experiment.first_round());
  std::uint64_t per_run_memory = 0;
  for (const SweepPoint& point : experiment.points()) {
    const Scenario& s = point.scenario;
    for (const StrategySpec& st : s.strategies) {
      // population.cycles: one run is that many one-cycle runs, one after the other.
      const std::uint64_t ev =
          events_of(s, st) * static_cast<std::uint64_t>(std::max(1, s.population.cycles));
      e.events_per_run = std::max(e.events_per_run, ev);
      e.events += ev * reps;
      e.runs += reps;
    }
    // A run holds its population, its pending events (a few per borrower and reminder, 32
    // bytes each) and the kernel's two bits per event ever scheduled (sim/kernel/kernel.h),
    // the one part that grows with the horizon.
    // Over several cycles only one cycle's World lives at a time, plus the byte each
    // borrower carries and the byte of her outcome (sim/model/cycles.h).
    const std::uint64_t reminders = std::max<std::size_t>(1, s.reminders.size());
    const auto cycles = static_cast<std::uint64_t>(std::max(1, s.population.cycles));
    per_run_memory = std::max<std::uint64_t>(
        per_run_memory, s.population.borrowers * (kBytesPerBorrower + reminders * 16) +
                            e.events_per_run / cycles / 4 +
                            (cycles > 1 ? 2 * s.population.borrowers : 0));
  }
  const std::uint64_t in_flight =
      std::min<std::uint64_t>(e.runs, static_cast<std::uint64_t>(experiment.options().jobs));
  e.memory_bytes = kBaseBytes + in_flight * per_run_memory + e.runs * kBytesPerRecord;
  e.available_bytes = available_memory_bytes();
  const std::uint64_t max_events = base.limits.max_events;
  if (e.available_bytes > 0 && e.memory_bytes > e.available_bytes)
    e.refusal = "it needs about " + bytes_text(static_cast<double>(e.memory_bytes)) +
                " of memory and the machine has " +
                bytes_text(static_cast<double>(e.available_bytes)) +
                " available; lower --jobs, the replications or the borrowers";
  else if (e.events_per_run > max_events)
    e.refusal = "a run needs about " + std::to_string(e.events_per_run) +
                " events, more than limits.max_events (" + std::to_string(max_events) +
                "); shorten the horizon or raise the limit";
  return e;
}

ResourceEstimate admit_resources(const Experiment& experiment, bool force) {
  ResourceEstimate e = estimate_resources(experiment);
  if (!e.refusal.empty() && !force)
    throw ResourceError("refusing to run: " + e.refusal + " (estimate: " + describe(e) +
                        "; --force runs it anyway)");
  return e;
}

std::string describe(const ResourceEstimate& e) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.2g events over %llu runs, %.2g per run; about %s",
                static_cast<double>(e.events), static_cast<unsigned long long>(e.runs),
                static_cast<double>(e.events_per_run),
                bytes_text(static_cast<double>(e.memory_bytes)).c_str());
  std::string out = buf;
  if (e.available_bytes > 0)
    out += " of " + bytes_text(static_cast<double>(e.available_bytes)) + " available";
  return out;
}

}  // namespace faultline
