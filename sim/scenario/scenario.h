// The typed, validated form of a scenario file. Everything downstream (model, experiment,
// outputs) reads this, never YAML. Field names follow the YAML keys; where the YAML value
// carries a unit ("500/s", "72h"), the C++ name carries it last (capacity_per_s) and
// durations are SimTime (microseconds). docs/scenarios.md documents every key.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/error.h"
#include "sim/scenario/expectation.h"
#include "sim/scenario/network.h"
#include "sim/scenario/params.h"
#include "sim/scenario/precision.h"
#include "sim/scenario/sweep.h"

namespace faultline {

// The index of the element named `name` in a list of named specs; -1 when none is.
template <typename Spec>
int index_by_name(const std::vector<Spec>& specs, std::string_view name) {
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return static_cast<int>(i);
  return -1;
}

// The channels a reminder can travel on. The names are the YAML keys under `channels`.
enum class Channel : std::uint8_t { sms, push, email, in_app };
inline constexpr int kChannelCount = 4;
inline constexpr std::string_view kChannelNames[kChannelCount] = {"sms", "push", "email", "in_app"};

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
  // Share of borrowers who tried to pay before the due date, failed for a technical reason
  // and gave up, who pay within grace. They showed intent and the money, unlike a forgetter;
  // no published figure measures it (assumption, docs/model.md).
  double cure_after_failure = 0.9;
  // Of the borrowers who miss (unpaid at the end of grace), the share who still pay by 30
  // days past due, where US bureaus report (assumption). They pay at a constant hazard
  // calibrated to it, so a different reporting_threshold reports more or fewer of them.
  double cure_before_reporting = 0.5;
  // Heterogeneous responders: this share never acts on reminders; the others act with
  // pay_after_reminder / (1 - non_responders) (capped at 1), so the average is unchanged
  // until the cap binds.
  double non_responders = 0;
  // Days past due at which a missed payment is reported; at or after the end of grace.
  SimTime reporting_threshold = 30 * kDay;
  // Of the borrowers still unpaid after the due date who would not cure within grace on
  // their own, the share an overdue (after_due) reminder seen within grace prompts to pay.
  // Campbell, Grant & Thorp (2022): one reminder to 30-day-delinquent accounts lifted cure
  // within the cycle from 61.9 % to 64.3 % (+2.4 pp) with 84.4 % of the treated seeing it,
  // i.e. +2.84 pp among those who saw it, out of the 38.1 % who would not have cured:
  // 2.84 / 38.1 = 7.5 % (docs/model.md, "Overdue reminders").
  double overdue_reminder_cure = 0.075;
  // Over several cycles (population.cycles), docs/model.md "Cycles": a borrower who paid
  // late or missed (a late fee) enrols in autopay for the next cycles with this
  // probability (Gathergood et al. 2019 find late fees "all but eliminated" after
  // switching; the switching rate is an assumption).
  double autopay_after_late_fee = 0.05;
  // A borrower behind on her instalments forgets more: forget_without_reminder for a
  // current borrower, these for 1–29, 30–59 and 60+ days past due (assumptions).
  std::array<double, 3> forget_by_bucket = {0.5, 0.65, 0.8};
};

// The point cure_before_reporting is calibrated at: US bureaus report once a payment is
// 30 days past due.
inline constexpr SimTime kReportingReference = 30 * kDay;

// Which channels a borrower can be reached on; each is an independent draw per borrower.
struct ReachabilitySpec {
  double app_users = 0.7;     // have the lender's app (in-app inbox; push needs it too)
  double push_opt_in = 0.55;  // of app users (Airship/Appboy: iOS 40–51 %, Android 60–81 %)
  double email = 0.9;         // have an e-mail address on file
  double autopay = 0.16;      // enrolled in automatic payment (CFPB: 11 % → 16 %, 2015–18)
};

// A loan product: its share of borrowers and the instalment amount (lognormal, in the
// scenario's currency unit). Amounts weigh missed payments into missed_amount.
struct ProductSpec {
  std::string name;
  double share = 1;
  double amount_median = 1000;
  double amount_sigma = 0.5;
};

struct PopulationSpec {
  std::uint32_t borrowers = 0;
  int due_day_min = 0;       // each instalment is due at the end of a day drawn uniformly
  int due_day_max = 0;       // from [due_day_min, due_day_max] (days from the scenario start)
  SimTime grace = 5 * kDay;  // after the due date; paid later than this = missed
  BehaviourSpec behaviour;
  ReachabilitySpec reachability;
  std::vector<ProductSpec> products;  // empty: one product with the default amounts
  // Monthly instalments: each borrower owes `cycles` instalments, one per `cycle`, due on
  // her own due day of each cycle (docs/model.md, "Cycles"). 1: the one-instalment model.
  int cycles = 1;
  SimTime cycle = 30 * kDay;
};

struct VendorSpec {
  std::string name;
  double capacity_per_s = 0;       // FIFO send rate
  double failure_probability = 0;  // per message, in normal operation
  SimTime validity = 72 * kHour;   // a message waiting longer in the queue expires
  double cost_per_message = 0;     // in the scenario's currency unit
  // Handset off or out of coverage at the first attempt: the carrier's SMSC stores the
  // message and retries until it is back or the validity runs out (ETSI/ITU 2006: ~38 %
  // first-attempt failure, ~98 % eventual delivery). The default 0 is an assumption (every
  // handset on), not that figure: realistic scenarios set 38 % themselves (docs/model.md).
  double first_attempt_failure = 0;
  SimTime offline_mean = 24 * kHour;    // exponential time until the handset is back
  SimTime receipt_delay = 5 * kSecond;  // delivery receipt after the handset has it
  double receipt_loss = 0;              // receipts that never arrive, in normal operation
  double false_delivered = 0;           // failed messages whose receipt says "delivered"
  SourceLoc loc;
};

struct CarrierSpec {
  std::string name;
  double share = 1;                    // of borrowers whose number is on this carrier
  SimTime delay_median = 7 * kSecond;  // ETSI/ITU: typically 6–8 s end to end
  double delay_sigma = 0.5;            // lognormal shape
  SourceLoc loc;
};

struct SmsChannelSpec {
  std::vector<std::string> vendors;  // in order of preference
  std::string primary;
  double effect = 1.0;  // weight of a seen SMS on pay_after_reminder (reference channel)
};

// Push notifications through the app. Delivery is fast but unpredictable (Yilmaz et al.
// 2014: > 40 % of devices within 10 s): lognormal with a heavy tail.
struct PushChannelSpec {
  bool enabled = false;
  SimTime delay_median = 8 * kSecond;
  double delay_sigma = 1.5;
  double token_stale = 0.1;  // tokens expired: the push is silently lost
  double seen = 0.6;         // share of delivered pushes the borrower looks at
  SimTime seen_delay_mean = 2 * kHour;
  double effect = 0.8;
};

// E-mail: inbox placement 79–87 % (Return Path 2016, Validity 2020); transactional open
// rate 30–50 %; the e-mail reminder effect is about nil (BETA/Westpac 2019).
struct EmailChannelSpec {
  bool enabled = false;
  double inbox_rate = 0.85;
  double open_rate = 0.4;
  SimTime open_delay_mean = 6 * kHour;
  double effect = 0.1;
};

// The in-app inbox: seen only when the borrower next opens the app.
struct InAppChannelSpec {
  bool enabled = false;
  double opens_per_day = 0.3;
  double effect = 1.0;
};

// The payment journey (docs/model.md, "Payment side"). An absent `payments:` block is a
// journey that never fails on its own — the behavioural calibration above already
// includes everyday friction — so only faults make it fail; payment-side scenarios set
// the everyday rates explicitly from CALIBRATION.md (e.g. technical declines 1.9–3.7 %).
struct RailSpec {
  std::string name;
  double share = 1;         // of borrowers who pay on this rail
  double decline_rate = 0;  // technical declines in normal operation (NPCI UPI: 1.9–3.7 %)
  SourceLoc loc;
};

struct PaymentsSpec {
  double app_share = 0.8;  // attempts made in the app (app users only); the rest on the web
  double backend_capacity_per_s = 400;    // requests/s the app backend serves
  double backend_background_per_s = 100;  // the app's other traffic (logins, balance checks)
  double backend_error_rate = 0;          // errors and timeouts in normal operation
  SimTime statement_lead =
      10 * kDay;              // the instalment appears in the core this long before the due date
  SimTime sync_interval = 0;  // core → app sync period in normal operation (0 = on write)
  double link_share = 0;      // reminder-prompted payers who tap the link in the reminder
  SimTime link_ttl = 24 * kHour;  // Stripe Checkout default (settable 30 min – 24 h)
  double otp_sms_share = 0;       // logins that need a fresh SMS one-time password
  SimTime otp_validity = 5 * kMinute;
  double risk_false_positive = 0;  // legitimate attempts the risk engine blocks
  std::vector<RailSpec> rails;     // empty: one rail "card" with no declines
  // Behaviour under failure (Visa 2018: retries roughly halved unique failures ⇒ ~0.5).
  double retry_probability = 0.5;
  SimTime retry_delay_mean = 10 * kMinute;
  int max_attempts = 4;         // including the first
  double switch_channel = 0.3;  // after an app-only failure, the retry goes to the web
  // Charged but no confirmation shown: pays again. Calibrated so that an incident that
  // leaves every payment unconfirmed charges ~5 % twice (Cardnet 2018, docs/model.md).
  double unconfirmed_retry = 0.05;
  SimTime confirmation_patience = 5 * kMinute;
  double support_contact = 0.2;  // of borrowers who give up after failures
  int rail_index(std::string_view name) const {
    return index_by_name(rails, name);
  }  // -1 when unknown
};

struct ReminderRule {
  // Days before the due day; negative for a dunning reminder (`after_due: 3d` is -3),
  // sent after the due date to the borrowers who still owe.
  int before_due_days = 1;
  bool after_due() const { return before_due_days < 0; }
  SimTime at = 9 * kHour;  // time of day the batch is sent
  Channel channel = Channel::sms;
  // 0: the whole batch is handed to the channel at `at`. Otherwise each borrower's message
  // goes out at `at` + a uniform offset in [0, spread) drawn from the keyed stream
  // "reminder/spread" (a campaign paced over a window; issue 7's reference workload).
  SimTime spread = 0;
};

// One use of a fault or mitigation plug-in, with its parameters parsed and defaulted.
struct PluginUse {
  std::string type;
  ParamSet params;
  SourceLoc loc;
  bool network = false;           // PluginInfo::network of its plug-in
  ValidateFn validate = nullptr;  // PluginInfo::validate of its plug-in
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
  std::string file;    // as given on the command line
  std::string text;    // the file's exact bytes, for hashing and the report
  std::string sha256;  // of `text`
  SimTime horizon = 35 * kDay;
  std::uint64_t seed = 1;
  int replications = 1;
  double confidence = 0.95;
  PopulationSpec population;
  SmsChannelSpec sms;
  PushChannelSpec push;
  EmailChannelSpec email;
  InAppChannelSpec in_app;
  PaymentsSpec payments;  // `payments:`
  std::vector<VendorSpec> vendors;
  std::vector<CarrierSpec> carriers;
  std::vector<ReminderRule> reminders;
  std::vector<PluginUse> faults;
  std::vector<StrategySpec> strategies;  // the first is the reference ("baseline")
  Limits limits;
  std::vector<Expectation> expectations;  // `expect:`; checked after the run (sim/check)
  SweepSpec sweep;          // `sweep:`; the points come from expand_sweep (sweep_grid.h)
  PrecisionSpec precision;  // `precision:`; sequential sampling (sim/experiment/sequential.h)
  EngineKind engine = EngineKind::kNative;  // `engine:`; --engine overrides (docs/engines.md)
  NetworkSpec network;  // infrastructure.network / .platform; SimGrid engine only
  // "file:line:col: ..." for each deprecated key or value read (still accepted for one
  // release; docs/scenarios.md). The parser collects them; load_scenario prints them.
  std::vector<std::string> warnings;

  int vendor_index(std::string_view vendor) const {
    return index_by_name(vendors, vendor);
  }  // -1 when unknown
};

}  // namespace faultline
