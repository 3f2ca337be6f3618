// One simulated run: a population, the notification pipeline (core due list → notification
// service → channel router → SMS vendors → carriers → handsets, plus push, e-mail and the
// in-app inbox), the payment platform and borrower behaviour — all driven by the native
// kernel. The World keeps the pipeline and the borrowers; faults and mitigations are
// plug-ins (sim/faults, sim/mitigations) applied before run(): a fault hands its windows
// to the component it breaks, a mitigation attaches an object that subscribes to the
// model's hooks (sim/model/hooks.h) and acts through the narrow API below. The World
// holds no plug-in's configuration and knows no plug-in by name. It does no I/O: it
// returns counters.
//
// The implementation is split by concern: world.cc (set-up, run, invariants, plug-in
// API), notify.cc (batches, routing, the SMS path, other channels), monitor.cc (the
// receipt monitor and its clock), behaviour.cc (due list, seeing, deciding to pay,
// outcomes), journey.cc (the payment attempt: app, links, OTP, risk, rails, posting,
// confirmation, retries, duplicates, support contacts; the platform is payments.h),
// batch_export.cc (the batch's network leg with a network engine).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/metrics/metrics.h"
#include "sim/model/app_channels.h"
#include "sim/model/carrier_network.h"
#include "sim/model/hooks.h"
#include "sim/model/message.h"
#include "sim/model/payments.h"
#include "sim/model/population.h"
#include "sim/model/sms_path.h"
#include "sim/model/sms_vendor.h"
#include "sim/model/transport.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schedule.h"

namespace faultline {

// A run that hit limits.max_events: reported to the user with the seed to reproduce it.
class RunLimitError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunOutput {
  Counters counters;
  RunResult kernel;
  // population.cycles > 1 (sim/model/cycles.h): the cycle metrics of every cycle.
  std::vector<CycleMetricValues> cycle_metrics{};
};

// Where SMS (reminders and one-time passwords) go: the primary vendor until a plug-in
// fails over to the secondary.
struct SmsRouter {
  int primary = 0;
  int secondary = -1;  // -1: no secondary configured
  bool failed_over = false;
  SimTime switched_at = 0;  // the last failover or failback
  int current() const { return failed_over ? secondary : primary; }
};

// What operations see of each vendor: per minute of the horizon, the messages accepted
// and the receipts that came back within World::kReceiptLag of acceptance. Its interval,
// window and threshold are shared by every plug-in that watches receipts: the defaults
// hold until vendor_failover sets its own, and anomaly_monitoring judges with them.
class ReceiptMonitor {
 public:
  void enable(std::size_t vendors, SimTime horizon);
  bool enabled() const { return vendors_ > 0; }
  void record(int vendor, SimTime accepted_at, bool receipt_within_lag);
  // Receipt rate of the vendor's sends accepted in [from, to); negative when fewer than
  // min_messages were sent. Only the last `window` + kReceiptLag + kSlack can be asked for.
  double rate(int vendor, SimTime from, SimTime to, int min_messages) const;
  std::size_t vendors() const { return vendors_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

  SimTime interval = kMinute;  // how often the monitor ticks (vendor_failover.interval)
  SimTime window = 15 * kMinute;
  double threshold = 0.3;  // a receipt rate below this is a collapse

  // How far a send may be accepted ahead of (or behind) the newest one recorded and still
  // be counted (a vendor's queue delay).
  static constexpr SimTime kSlack = 7 * kDay;

 private:
  // Per-minute counts in a ring of minutes, each slot tagged with the minute it holds:
  // the monitor only ever looks back `window` + the receipt lag, so memory is bounded by
  // the window, not the horizon (a per-minute array over a 1000-year horizon was 4 GB per
  // vendor per run). When the horizon fits in the ring, nothing is ever evicted.
  struct Slot {
    std::int64_t minute = -1;
    std::uint32_t sent = 0, receipts = 0;
  };
  const Slot* slot(int vendor, std::int64_t minute) const;
  std::size_t vendors_ = 0;
  std::size_t horizon_minutes_ = 0;
  std::size_t ring_ = 0;  // minutes per vendor; sized at the first record (window is known)
  std::vector<Slot> slots_;
};

// The lender's terms, which some mitigations change.
struct LenderPolicy {
  SimTime grace_period_extra = 0;  // added to population.grace (grace_period.extra)
  double autopay_share = 0;        // enrolled in autopay (reachability.autopay; autopay.share)
};

class World {
 public:
  // Receipt-rate monitors count a receipt only if it came back within this long of the
  // message's acceptance, so a window of sends can be judged once it is this old.
  static constexpr SimTime kReceiptLag = 5 * kMinute;

  // `cycle`: which instalment of population.cycles this run is (sim/model/cycles.h): its
  // faults are seen from the cycle's start, and the draws of the obligation (behaviour,
  // messages, the journey) come from obligation_seed; the borrowers' traits (channels,
  // carriers) stay those of the run seed.
  World(const Scenario& scenario, const Population& population, std::uint64_t run_seed,
        int cycle = 0);
  static std::uint64_t obligation_seed(std::uint64_t run_seed, int cycle);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Applies every fault of the scenario (from this run's Schedule), then the strategy's
  // mitigations, each through its registered plug-in. Throws PluginError (naming the
  // offending parameter) when a combination cannot work.
  void configure(const StrategySpec& strategy);
  RunOutput run();

  // ---- cycles (sim/model/cycles.h) ----
  // The state each borrower carries into this cycle (CycleBits), read by behaviour;
  // setting it also records each borrower's outcome (outcomes()).
  void set_carry(std::span<const std::uint8_t> carry);
  enum Outcome : std::uint8_t { kOutcomeNone, kOutcomeOnTime, kOutcomeLate, kOutcomeMissed };
  std::span<const std::uint8_t> outcomes() const { return outcome_; }

  // ---- engine API ----
  Kernel& kernel() { return kernel_; }
  // Network legs go through `transport` (not owned); nullptr (the default) = native
  // engine: zero network time, no extra events.
  void set_transport(Transport* transport) { transport_ = transport; }
  std::uint32_t network_lost() const { return network_lost_; }

  // ---- the model, for plug-ins ----
  const Scenario& scenario() const { return scenario_; }
  const Population& population() const { return population_; }
  std::uint64_t run_seed() const { return run_seed_; }
  // This run's fault schedule (sim/scenario/schedule.h), the same for every strategy.
  const Schedule& schedule() const { return schedule_; }
  SimTime now() const { return kernel_.now(); }
  Counters& counters() { return counters_; }
  Hooks& hooks() { return hooks_; }
  // The World owns the plug-in objects of the run (they subscribe themselves).
  Subscriber& attach(std::unique_ptr<Subscriber> subscriber);
  // A kernel handler whose events target a borrower: the kernel prefetches that borrower's
  // record while the previous event runs (docs/performance.md), for the World's handlers
  // and the plug-ins' alike.
  HandlerId add_borrower_handler(std::string_view name, HandlerFn fn, void* context);

  // Components.
  SmsVendor& vendor(std::string_view name) { return sms_path().vendor(name); }
  SmsVendor& vendor(int index) { return vendors_.at(static_cast<std::size_t>(index)); }
  int vendor_index(std::string_view name) const { return vendor_index_or_all(scenario_, name); }
  int carrier_index(std::string_view name) const { return carrier_index_or_all(scenario_, name); }
  CarrierNetwork& carriers() { return carriers_; }
  // The vendors and carriers, as SMS-path faults see them (sim/model/sms_path.h).
  SmsPath sms_path() { return {scenario_, vendors_, carriers_}; }
  const AppChannels& channels() const { return channels_; }
  // The payment platform (payments.h): payment-side faults add their windows there.
  PaymentSystem& payments() { return payments_; }
  int rail_index(const ParamValue& name) const;  // throws PluginError at the parameter when unknown
  SmsRouter& router() { return router_; }
  ReceiptMonitor& receipt_monitor();  // enabled on first use
  LenderPolicy& lender() { return lender_; }

  // The notification service's faults.
  void disable_notifications(const Window& w);                    // core_cutover: the module is off
  void pause_channel(int channel, const Window& w, bool resend);  // -1 = all channels
  void stale_due_list(const Window& w, SimTime lag, double missing_share, std::uint64_t salt);
  // A keyed-draw salt unique to the fault at this index of `faults:`.
  static std::uint64_t fault_salt(int fault_index);

  // What plug-ins may do.
  void send(std::uint32_t borrower, MessageKey key);      // on key.channel, through the router
  void send_sms(std::uint32_t borrower, MessageKey key);  // straight to a vendor
  // Runs the reminder batch (rule, day) again at `at` for the borrowers who did not get
  // it and still owe.
  void resend_batch(std::uint32_t rule, std::uint32_t day, SimTime at);
  // An alarm at `at` turns a notification module silenced at `now` back on.
  void reenable_notifications(SimTime now, SimTime at);
  void fail_over(SimTime now);  // the router sends to its secondary; counts a failover
  void fail_back(SimTime now);
  void detected(SimTime t);   // time_to_detect_s: the first detection
  void recovered(SimTime t);  // time_to_recover_s: the first corrective action
  // Keep delivery receipts per borrower and reminder (receipt_seen); costs a receipt
  // event per receipt, so only plug-ins that read them ask.
  void track_receipts() { track_receipts_ = true; }
  bool receipt_seen(std::uint32_t borrower, std::uint32_t rule) const {
    return (receipts_[borrower] >> rule) & 1u;
  }
  bool settled(std::uint32_t borrower) const {
    return (borrowers_[borrower].state & kSettled) != 0;
  }
  // Collections (collections_call): leave a borrower unpaid at the due date open through
  // grace, as a dunning schedule does, so a contact then can still prompt her.
  void keep_open_in_grace() { dunning_ = true; }
  // Unpaid at the due date, no payment coming, and still within grace.
  bool open_in_grace(std::uint32_t borrower) const;
  // A collections contact: an open borrower pays within grace with probability `p` (one
  // uniform per borrower under `key` in the behaviour stream; delay pay_delay_mean under
  // key + 1). Returns whether she will.
  bool prompt_overdue(std::uint32_t borrower, double p, std::uint64_t key);
  // Whether that same uniform is below `p` (whatever the borrower's state): a caller that
  // prompts with p = a × b learns whether the contact got past its first step `a`.
  bool overdue_draw_below(std::uint32_t borrower, double p, std::uint64_t key) const {
    return behaviour_.bernoulli(p, borrower, key);
  }
  // A model invariant: throws std::logic_error naming the scenario and the run seed.
  void require(bool ok, const std::string& what) const;

 private:
  enum StateBits : std::uint8_t {
    kSettled = 1,
    kPaymentScheduled = 2,
    kSawReminder = 4,
    kAutopay = 8,
    kAttempted = 16,    // started at least one payment attempt
    kViaReminder = 32,  // the scheduled attempt was prompted by a reminder (may use its link)
    kOnWeb = 64,        // switched from the app to the web after an app-only failure
    kFailed = 128,      // at least one payment attempt failed (borrowers_with_failure)
  };

  struct DisabledWindow {
    Window w;
    SimTime detected_at = kTimeNever;  // an alarm re-enabled the module
  };
  struct Pause {
    int channel;
    Window w;
    bool resend;
  };
  struct StaleDueList {
    Window w;
    SimTime lag;
    double missing_share;
    std::uint64_t stream;
  };
  // A batch of a rule with `spread`, released in time order by one cursor event at a time
  // (the kernel holds one record per batch, not per message) and generated lazily: the
  // borrowers are counting-sorted by send time into ~8-borrower buckets (4 bytes each),
  // and a bucket's send times are drawn again and sorted only when the cursor reaches
  // it — never a sorted array of every send (16 bytes each), never a heap of them.
  struct PacedBatch {
    struct Send {
      SimTime at;
      std::uint32_t borrower;
    };
    std::vector<std::uint32_t> order;  // borrowers by bucket; in due-list order within one
    std::vector<std::uint32_t> start;  // bucket b is order[start[b], start[b + 1])
    std::vector<Send> current;         // the bucket being sent, by (time, borrower)
    std::size_t next = 0;              // into current
    std::uint32_t bucket = 0;          // the next bucket to load
    SimTime began = 0;                 // the batch's time: sends at began + spread_offset
    SimTime width = 1;                 // of a bucket, in offset µs
    std::uint32_t rule = 0;
    MessageKey key;
  };

  // notify.cc
  static void on_reminder_batch(void* self, Kernel& k, const Event& e);
  static void on_sms_seen(void* self, Kernel& k, const Event& e);
  static void on_app_seen(void* self, Kernel& k, const Event& e);
  static void on_receipt(void* self, Kernel& k, const Event& e);
  static void on_carrier_arrival(void* self, Kernel& k, const Event& e);
  static void on_network_lost(void* self, Kernel& k, const Event& e);
  static void on_resend_batch(void* self, Kernel& k, const Event& e);
  static void on_spread_send(void* self, Kernel& k, const Event& e);
  void run_batch(std::uint32_t rule, std::uint32_t day, bool resend);
  void send_app(std::uint32_t borrower, MessageKey key);
  void after_carrier(std::uint32_t borrower, MessageKey key, int vendor, SimTime at_carrier,
                     SimTime accepted_at, SimTime expires_at);
  void count_delivery(std::uint32_t borrower, MessageKey key, SimTime at);
  bool suppressed(std::uint32_t borrower, Channel channel, SimTime t) const;
  SimTime batch_time(std::uint32_t borrower, std::uint32_t rule) const;
  SimTime spread_offset(std::uint32_t borrower, std::uint32_t rule) const;  // ReminderRule::spread
  // One spread rule's offsets, the rule's share of the keyed draw computed once: what
  // run_batch and load_bucket draw for every borrower of a batch (spread_offset is the
  // same function, for one borrower).
  struct SpreadOffsets {
    KeyedRandom::WithSecond draw;
    double spread;
    // Truncation keeps the offset in [0, spread), like the reference loop's reminder times.
    SimTime operator()(std::uint32_t borrower) const {
      return static_cast<SimTime>(draw.uniform01(borrower) * spread);
    }
  };
  SpreadOffsets spread_offsets(std::uint32_t rule) const {
    return {spread_luck_.with_second(rule), static_cast<double>(scenario_.reminders[rule].spread)};
  }
  bool load_bucket(PacedBatch& b) const;  // false: the batch has sent everything
  void prefetch_send(std::uint32_t borrower) const;

  // monitor.cc
  static void on_monitor_tick(void* self, Kernel& k, const Event& e);

  // behaviour.cc
  static void on_due_list(void* self, Kernel& k, const Event& e);
  static void on_deadline(void* self, Kernel& k, const Event& e);
  static void on_payment(void* self, Kernel& k, const Event& e);
  // `rule`: the reminder seen; its batch time (a keyed draw with a spread) is worked out
  // only when a reminder link records it (issue 21: one draw per message fewer).
  void saw_reminder(std::uint32_t borrower, Channel channel, std::uint32_t rule);
  void saw_overdue_reminder(std::uint32_t borrower, Channel channel);
  void schedule_payment(std::uint32_t borrower, SimTime at);
  void settle_missed(std::uint32_t borrower);
  // The share of missed borrowers who pay before the reporting threshold (behaviour.cc).
  static double paid_before_reporting(const Scenario& s, SimTime grace_extra);
  SimTime deadline(std::uint32_t borrower) const {
    return (static_cast<SimTime>(borrowers_[borrower].due_day) + 1) * kDay;
  }
  double channel_effect(Channel channel) const;
  double forget_probability(std::uint32_t borrower) const;

  // journey.cc
  static void on_repay(void* self, Kernel& k, const Event& e);
  void attempt(std::uint32_t borrower, bool repay);
  int journey(std::uint32_t borrower, std::uint64_t key,
              SimTime t);  // -1 = success, else PaymentFailure
  bool otp_arrives(std::uint32_t borrower, std::uint64_t key, SimTime t) const;
  bool second_factor(std::uint32_t borrower) const;
  void charge(std::uint32_t borrower);
  void confirm(std::uint32_t borrower, std::uint64_t key);
  void count_failure(PaymentFailure cause);
  void fail(std::uint32_t borrower, std::uint64_t key,
            PaymentFailure cause);  // what the borrower does next
  PaymentAdvice advice(SimTime t) const;
  bool cutover_affects(std::uint32_t borrower, SimTime start, SimTime t) const;  // kNewCore
  SimTime frozen_from(std::uint32_t borrower, SimTime t) const;

  // world.cc
  static void prefetch_borrower(const void* self, const Event& next);  // a Kernel Prefetch
  void schedule_world();
  void check_invariants() const;

  const Scenario& scenario_;
  const Population& population_;
  std::uint64_t run_seed_;
  std::uint64_t obligation_seed_;  // obligation_seed(run_seed_, cycle): this cycle's luck
  Schedule schedule_;
  Kernel kernel_;
  Hooks hooks_;
  std::vector<std::unique_ptr<Subscriber>> attached_;
  Counters counters_;
  std::vector<std::uint8_t> receipts_;    // bit r: a delivery receipt came back (when tracked)
  std::vector<std::uint32_t> paid_at_s_;  // payment time in seconds (stale due lists only)
  // A borrower's payment attempts: three bytes of her record (Borrower, below).
  struct Attempts {
    std::uint8_t total = 0;         // so far (keys the journey's draws)
    std::uint8_t session = 0;       // since the borrower last gave up
    std::uint8_t last_failure = 0;  // 1 + PaymentFailure of the last failed attempt; 0 = none
  };
  // What the events on one borrower read and write, in one 8-byte record, so an event
  // costs one cache line and one prefetch, not one per array: a send read four arrays
  // and a payment three, each a cache miss in random borrower order (issue 21,
  // docs/performance.md). due_day and carrier copy the population's (read-only while
  // the World runs) into the bytes the record would otherwise pad.
  struct Borrower {
    std::uint8_t state = 0;            // kSettled, kSawReminder, ...
    std::uint8_t delivered_rules = 0;  // bit r: reminder rule r reached the borrower
    Attempts attempts;
    std::uint8_t carrier = 0;   // Population::carrier
    std::uint16_t due_day = 0;  // Population::due_day
  };
  static_assert(sizeof(Borrower) == 8, "one borrower's record stays 8 bytes");
  std::vector<Borrower> borrowers_;
  std::vector<std::uint32_t> link_sent_s_;  // reminder link issue time in seconds (links only)
  std::vector<SmsVendor> vendors_;
  CarrierNetwork carriers_;
  AppChannels channels_;
  KeyedRandom behaviour_;
  KeyedRandom plugin_luck_;   // "plugins": the notification service's faults
  KeyedRandom spread_luck_;   // "reminder/spread": per-borrower send offsets of spread rules
  KeyedRandom journey_luck_;  // "payment/borrower": the borrower's choices in the journey
  PaymentSystem payments_;
  std::vector<VendorSpec> otp_vendors_;  // the vendors as the OTP route sees them (handset in hand)
  SmsRouter router_;
  ReceiptMonitor monitor_;
  LenderPolicy lender_;
  double paid_before_reporting_ = 0;  // set at the start of run(): plug-ins may extend grace
  bool track_receipts_ = false;
  // The scenario has a dunning schedule (reminders[].after_due): obligations unpaid at the
  // due date stay open through grace (behaviour.cc, saw_overdue_reminder).
  bool dunning_ = false;
  std::span<const std::uint8_t> carry_;  // empty: one cycle, nothing carried
  std::vector<std::uint8_t> outcome_;    // Outcome per borrower, when carry_ is set

  // Faults on the notification service.
  std::vector<DisabledWindow> disabled_;
  std::vector<Pause> pauses_;
  std::vector<StaleDueList> stale_;
  std::vector<PacedBatch> paced_;  // spread batches; on_spread_send's target indexes it
  // The spread send being made (on_spread_send): its borrower, rule and offset, which
  // spread_offset returns without drawing — a one-entry cache of a pure function, so
  // count_delivery's batch_time in the same event does not draw the offset again.
  struct SpreadMemo {
    std::uint32_t borrower = UINT32_MAX;
    std::uint32_t rule = 0;
    SimTime offset = 0;
  };
  SpreadMemo spread_memo_;

  // The incident timeline: the first window of a model-level fault, the first detection
  // and the first corrective action (time_to_detect_s, time_to_recover_s).
  SimTime first_fault_start_ = kTimeNever;
  SimTime first_fault_end_ = kTimeNever;
  SimTime first_detection_ = kTimeNever;
  SimTime first_recovery_ = kTimeNever;

  Transport* transport_ = nullptr;
  std::uint32_t network_lost_ = 0;
  std::vector<std::string> vendor_hosts_, carrier_hosts_;
  HandlerId h_due_list_, h_reminder_batch_, h_deadline_, h_payment_, h_sms_seen_, h_app_seen_,
      h_receipt_, h_monitor_, h_carrier_arrival_, h_network_lost_, h_resend_, h_spread_send_,
      h_repay_;

  // batch_export.cc: with a network engine, the batch crosses core → notification first.
  bool export_batch(const Event& e);
  static void on_batch_exported(void* self, Kernel& k, const Event& e);
  static void on_batch_lost(void* self, Kernel& k, const Event& e);
  void skip_batch(std::uint32_t rule, std::uint32_t day);
  HandlerId h_batch_exported_ = 0, h_batch_lost_ = 0;
};

// A mitigation or fault whose parameters cannot work together with the scenario; the
// caller turns it into a file:line:col error at the parameter.
class PluginError : public std::invalid_argument {
 public:
  PluginError(const std::string& message, SourceLoc loc)
      : std::invalid_argument(message), loc_(loc) {}
  SourceLoc loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

}  // namespace faultline
