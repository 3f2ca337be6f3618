// The reference workload (reference_workload.h) driven by SimGrid's kernel timers: the
// "SimGrid timer path" peer of issue 21. Every event of the hand-written loop — reminder
// arrival, vendor send-complete, payment — is one `simgrid::kernel::timer::Timer::set(date,
// callback)` on SimGrid's timer heap (a Boost fibonacci heap), and `Engine::run()` advances
// the clock from timer to timer and runs the callbacks in maestro; no actor, no activity.
// Each event is handled by the loop's own `detail::step` (its vendor a std::deque FIFO; a
// SimGrid Mailbox backlog would be O(backlog) per send: /work/shared/SIMGRID-NOTES.md) with
// the loop's draws (reminder_time_us, pays, pay_delay_us), so the counts equal the loop's.
//
// Dates are in microseconds, not seconds: integer-valued doubles (exact below 2^53, i.e.
// for 285 years of simulated time), so every date is exactly the loop's SimTime and the
// clock never drifts; each callback checks that the engine's clock is its own date.
//
//   simgrid_timers preload|chain BORROWERS [SEED]
// preload: all N reminders set as timers up front (what a SimGrid user writes; N pending
// timers). chain: the reminders sorted once by (time, borrower) and each reminder's
// callback sets the next one, so only one reminder timer is pending (the streaming
// loop's shape; 16 B per borrower for the sorted list).
#include <xbt/log.h>

#include <algorithm>
#include <cstdio>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <vector>

#include "tests/bench/peers/peer_counts.h"

namespace faultline::bench {
namespace {

using simgrid::kernel::timer::Timer;

struct SimgridRun {
  ReferenceConfig config;
  KeyedRandom reminder{0, kReminderStream};
  KeyedRandom behaviour{0, kBehaviourStream};
  ReferenceResult result;
  detail::Vendor vendor;
  std::vector<std::pair<SimTime, std::uint32_t>> sorted;  // chain mode: reminders in order
  std::size_t next_reminder = 0;
  std::uint64_t clock_mismatches = 0;
};
SimgridRun* run = nullptr;  // the callbacks' state: one simulation per process

using Kind = std::uint32_t;  // detail::kReminderArrival, kSendComplete, kPayment

void schedule(SimTime at_us, Kind kind, std::uint32_t borrower);

// One event: the loop's own step (reference_workload.h), whose every push is a timer here.
void fire(SimTime now_us, Kind kind, std::uint32_t borrower) {
  SimgridRun& s = *run;
  if (simgrid::s4u::Engine::get_clock() != static_cast<double>(now_us)) ++s.clock_mismatches;
  const auto push = [](SimTime at_us, std::uint32_t k, std::uint32_t b) { schedule(at_us, k, b); };
  const detail::RefEvent e{now_us, 0, kind, borrower};
  NullObserver observer;
  detail::step(s.config, s.behaviour, e, s.vendor, s.result, observer, push);
  if (kind == detail::kReminderArrival && !s.sorted.empty() &&
      ++s.next_reminder < s.sorted.size()) {
    const auto& [at_us, next] = s.sorted[s.next_reminder];
    schedule(at_us, detail::kReminderArrival, next);
  }
}

void schedule(SimTime at_us, Kind kind, std::uint32_t borrower) {
  // 16 bytes of capture: fits xbt::Task's small buffer, so SimGrid allocates only the
  // Timer and its heap node per event.
  const std::uint64_t what = (static_cast<std::uint64_t>(kind) << 32) | borrower;
  Timer::set(static_cast<double>(at_us), [at_us, what] {
    fire(at_us, static_cast<Kind>(what >> 32), static_cast<std::uint32_t>(what));
  });
}

}  // namespace
}  // namespace faultline::bench

int main(int argc, char** argv) {
  using namespace faultline::bench;
  SimgridRun state;
  const bool chain = peer_mode(argc, argv, "chain", "preload",
                               "simgrid_timers preload|chain BORROWERS [SEED]", state.config);
  state.reminder = faultline::KeyedRandom(state.config.seed, kReminderStream);
  state.behaviour = faultline::KeyedRandom(state.config.seed, kBehaviourStream);
  run = &state;

  int engine_argc = 1;
  simgrid::s4u::Engine engine(&engine_argc, argv);
  xbt_log_control_set("root.thres:critical");
  // The smallest platform: SimGrid's models are set up with the first zone; the timers
  // need no host, but an engine without a platform is not a configuration SimGrid tests.
  auto* zone = simgrid::s4u::create_full_zone("world");
  zone->create_host("vendor", "1Gf");
  zone->seal();

  const auto n = static_cast<std::uint32_t>(state.config.borrowers);
  if (chain) {
    state.sorted.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i)
      state.sorted.emplace_back(reminder_time_us(state.config, state.reminder, i), i);
    std::sort(state.sorted.begin(), state.sorted.end());
    if (n > 0) schedule(state.sorted[0].first, detail::kReminderArrival, state.sorted[0].second);
  } else {
    for (std::uint32_t i = 0; i < n; ++i)
      schedule(reminder_time_us(state.config, state.reminder, i), detail::kReminderArrival, i);
  }
  engine.run();

  if (state.clock_mismatches != 0) {
    std::fprintf(stderr, "simgrid_timers: %llu callbacks ran at another clock than their date\n",
                 static_cast<unsigned long long>(state.clock_mismatches));
    return 1;
  }
  print_peer_counts(state.config, state.result);
  return 0;
}
