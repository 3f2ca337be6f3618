// The typed, validated form of a scenario file. Everything downstream (model, experiment,
// outputs) reads this, never YAML. Field names follow the YAML keys; where the YAML value
// carries a unit ("500/s", "72h"), the C++ name carries it last (capacity_per_s) and
// durations are SimTime (microseconds). docs/scenarios.md documents every key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/error.h"
#include "sim/scenario/params.h"

namespace faultline {

struct BehaviourSpec {
  // Share of borrowers who, without any reminder, forget to pay by the due date
  // (Gathergood et al. 2019: ~20 % of manual payers pay late in a given month).
  double forget_without_reminder = 0.2;
  // Share of those forgetters who pay after seeing a reminder. 40 % of 20 % lifts on-time
  // payment by 8 pp, inside the +7–9 % of Cadena & Schoar (2011).
  double pay_after_reminder = 0.4;
  // Mean of the exponential delay between seeing a reminder and paying.
  SimTime pay_delay_mean = 6 * kHour;
  // How long before the due date unprompted payers pay (uniform over this lead).
  SimTime unprompted_lead = 3 * kDay;
  // Share of borrowers still unpaid at the due date who pay within the grace period
  // (Campbell et al. 2022: 61.9 % of 30-day-delinquent accounts cure within a cycle).
  double cure_within_grace = 0.6;
};

struct PopulationSpec {
  std::uint32_t borrowers = 0;
  int due_day_min = 0;  // each instalment is due at the end of a day drawn uniformly
  int due_day_max = 0;  // from [due_day_min, due_day_max] (days from the scenario start)
  SimTime grace = 5 * kDay;  // after the due date; paid later than this = missed
  BehaviourSpec behaviour;
};

struct VendorSpec {
  std::string name;
  double capacity_per_s = 0;         // FIFO send rate
  double failure_probability = 0;    // per message, in normal operation
  SimTime validity = 72 * kHour;     // a message waiting longer in the queue expires
  double cost_per_message = 0;       // in the scenario's currency unit
  SourceLoc loc;
};

struct CarrierSpec {
  std::string name;
  double share = 1;                  // of borrowers whose number is on this carrier
  SimTime delay_median = 7 * kSecond;  // ETSI/ITU: typically 6–8 s end to end
  double delay_sigma = 0.5;          // lognormal shape
  SourceLoc loc;
};

struct SmsChannelSpec {
  std::vector<std::string> vendors;  // in order of preference
  std::string primary;
};

struct ReminderRule {
  int before_due_days = 1;
  SimTime at = 9 * kHour;  // time of day the batch is sent
};

// One use of a fault or mitigation plug-in, with its parameters parsed and defaulted.
struct PluginUse {
  std::string type;
  ParamSet params;
  SourceLoc loc;
};

struct StrategySpec {
  std::string name;
  std::vector<PluginUse> mitigations;
  SourceLoc loc;
};

struct Limits {
  std::uint64_t max_events = 2'000'000'000;  // ends a runaway run with a clear error
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;      // as given on the command line
  std::string text;      // the file's exact bytes, for hashing and the report
  std::string sha256;    // of `text`
  SimTime horizon = 35 * kDay;
  std::uint64_t seed = 1;
  int replications = 1;
  double confidence = 0.95;
  PopulationSpec population;
  SmsChannelSpec sms;
  std::vector<VendorSpec> vendors;
  std::vector<CarrierSpec> carriers;
  std::vector<ReminderRule> reminders;
  std::vector<PluginUse> faults;
  std::vector<StrategySpec> strategies;  // the first is the reference ("baseline")
  Limits limits;

  int vendor_index(std::string_view vendor) const;  // -1 when unknown
};

}  // namespace faultline
