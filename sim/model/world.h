// One simulated run: a population, the notification pipeline (due list → router → SMS
// vendors → carriers → handsets) and borrower behaviour, driven by the native kernel.
// Faults and mitigations configure the World through the small plug-in API below before
// run(). The World does no I/O: it returns counters; outputs are someone else's job.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/metrics/metrics.h"
#include "sim/model/population.h"
#include "sim/model/sms_vendor.h"
#include "sim/model/transport.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

// A run that hit limits.max_events: reported to the user with the seed to reproduce it.
class RunLimitError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunOutput {
  Counters counters;
  RunResult kernel;
};

class World {
 public:
  World(const Scenario& scenario, const Population& population, std::uint64_t run_seed);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Applies every fault of the scenario, then the strategy's mitigations.
  void configure(const StrategySpec& strategy);
  RunOutput run();

  // ---- engine API ----
  Kernel& kernel() { return kernel_; }
  // Network legs go through `transport` (not owned); nullptr (the default) = native
  // engine: zero network time, no extra events.
  void set_transport(Transport* transport) { transport_ = transport; }
  std::uint32_t network_lost() const { return network_lost_; }

  // ---- plug-in API ----
  const Scenario& scenario() const { return scenario_; }
  SmsVendor& vendor(std::string_view name);
  // Route around the primary vendor: on rejection at once; on a silent outage `detect`
  // after it starts, and back `detect` after it ends when `failback` is set.
  void enable_failover(std::string_view secondary, SimTime detect, bool failback);

 private:
  enum StateBits : std::uint8_t { kSettled = 1, kPaymentScheduled = 2, kSawReminder = 4 };

  static void on_due_list(void* self, Kernel& k, const Event& e);
  static void on_reminder_batch(void* self, Kernel& k, const Event& e);
  static void on_delivery(void* self, Kernel& k, const Event& e);
  static void on_deadline(void* self, Kernel& k, const Event& e);
  static void on_payment(void* self, Kernel& k, const Event& e);
  static void on_failover_switch(void* self, Kernel& k, const Event& e);
  static void on_carrier_arrival(void* self, Kernel& k, const Event& e);
  static void on_network_lost(void* self, Kernel& k, const Event& e);
  void carrier_leg(std::uint32_t borrower, std::uint64_t key, SimTime at_carrier);

  void schedule_world();
  void send_reminder(std::uint32_t borrower, std::uint32_t rule);
  void schedule_payment(std::uint32_t borrower, SimTime at);
  SimTime deadline(std::uint32_t borrower) const {
    return (static_cast<SimTime>(population_.due_day[borrower]) + 1) * kDay;
  }
  void check_invariants() const;

  const Scenario& scenario_;
  const Population& population_;
  std::uint64_t run_seed_;
  Kernel kernel_;
  Counters counters_;
  std::vector<std::uint8_t> state_;
  std::vector<SmsVendor> vendors_;
  std::vector<KeyedRandom> carrier_luck_;
  KeyedRandom behaviour_;
  int primary_ = 0;
  int secondary_ = -1;
  SimTime failover_detect_ = 0;
  bool failback_ = true;
  bool failover_active_ = false;
  Transport* transport_ = nullptr;
  std::uint32_t network_lost_ = 0;
  std::vector<std::string> vendor_hosts_, carrier_hosts_;
  HandlerId h_due_list_, h_reminder_batch_, h_delivery_, h_deadline_, h_payment_, h_failover_;
  HandlerId h_carrier_arrival_, h_network_lost_;
};

}  // namespace faultline
