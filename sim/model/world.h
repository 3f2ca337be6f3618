// One simulated run: a population, the notification pipeline (core due list → notification
// service → channel router → SMS vendors → carriers → handsets, plus push, e-mail and the
// in-app inbox), monitors that detect trouble, and borrower behaviour — all driven by
// the native kernel. Faults and mitigations configure the World through the plug-in API
// below before run(). The World does no I/O: it returns counters.
//
// The implementation is split by concern: world.cc (set-up, run, invariants, plug-in
// API), notify.cc (batches, routing, SMS path, fallbacks, retries), monitor.cc
// (detection, failover, resends), behaviour.cc (due list, seeing, deciding to pay,
// outcomes), journey.cc (the payment attempt: app, links, OTP, risk, rails, posting,
// confirmation, retries, duplicates, support contacts; the platform is payments.h).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/metrics/metrics.h"
#include "sim/model/app_channels.h"
#include "sim/model/carrier_network.h"
#include "sim/model/message.h"
#include "sim/model/payments.h"
#include "sim/model/population.h"
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
};

// How the router notices that the primary SMS vendor is failing.
enum class Detection : std::uint8_t { kHealthCheck, kDlrRate };

struct FailoverConfig {
  int secondary = -1;
  Detection detection = Detection::kDlrRate;
  SimTime interval = kMinute;  // monitor tick
  SimTime window = 15 * kMinute;
  double threshold = 0.3;  // receipt rate below this over the window = failing
  int min_messages = 50;   // fewer messages in the window: no verdict
  double probe_share =
      0.05;  // after a receipt-rate failover, share of traffic that probes the primary
  bool failback = true;
};

struct FallbackConfig {  // multi_channel
  std::vector<Channel> chain;
  SimTime after = 2 * kHour;
  bool parallel = false;
};

struct RetryConfig {     // notification_retry
  int max_attempts = 0;  // resends after the first send; 0 = off
  SimTime timeout = kHour;
  double backoff = 2.0;
};

struct MonitoringConfig {  // anomaly_monitoring
  bool enabled = false;
  SimTime detect_after = 30 * kMinute;
  bool resend = true;
};

class World {
 public:
  // Receipt-rate monitors count a receipt only if it came back within this long of the
  // message's acceptance, so a window of sends can be judged once it is this old.
  static constexpr SimTime kReceiptLag = 5 * kMinute;

  World(const Scenario& scenario, const Population& population, std::uint64_t run_seed);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Applies every fault of the scenario, then the strategy's mitigations. Throws
  // PluginError (naming the offending parameter) when a combination cannot work.
  void configure(const StrategySpec& strategy);
  RunOutput run();

  // ---- engine API ----
  Kernel& kernel() { return kernel_; }
  // Network legs go through `transport` (not owned); nullptr (the default) = native
  // engine: zero network time, no extra events.
  void set_transport(Transport* transport) { transport_ = transport; }
  std::uint32_t network_lost() const { return network_lost_; }

  // ---- plug-in API (faults) ----
  const Scenario& scenario() const { return scenario_; }
  // This run's fault schedule (sim/scenario/schedule.h), the same for every strategy.
  const Schedule& schedule() const { return schedule_; }
  // The windows of the fault being applied (its entry in schedule()); `params` are its own.
  std::vector<Window> fault_windows(const ParamSet& params);
  SmsVendor& vendor(std::string_view name);
  int vendor_index(std::string_view name) const;   // "*" → -1
  int carrier_index(std::string_view name) const;  // "*" → -1
  CarrierNetwork& carriers() { return carriers_; }
  std::uint64_t fault_stream() const;           // a salt unique to the fault being applied
  void disable_notifications(const Window& w);  // core_cutover: the module is off
  void pause_channel(int channel, const Window& w, bool resend);  // -1 = all channels
  void stale_due_list(const Window& w, SimTime lag, double missing_share);
  // The payment platform (payments.h): payment-side faults add their windows there and
  // payment-side mitigations switch its settings on.
  PaymentSystem& payments() { return payments_; }
  int rail_index(const ParamValue& name) const;  // throws PluginError at the parameter when unknown

  // ---- plug-in API (mitigations) ----
  void enable_failover(const FailoverConfig& config);
  void enable_fallback(const FallbackConfig& config);
  void enable_retry(const RetryConfig& config);
  void enable_carrier_status_routing(Channel fallback, SimTime lookup_lag);
  void extend_grace(SimTime extra);
  void raise_autopay(double share);
  void stage_cutover(double canary, SimTime rollback_after);
  void enable_monitoring(const MonitoringConfig& config);

 private:
  enum StateBits : std::uint8_t {
    kSettled = 1,
    kPaymentScheduled = 2,
    kSawReminder = 4,
    kAutopay = 8,
    kAttempted = 16,    // started at least one payment attempt
    kViaReminder = 32,  // the scheduled attempt was prompted by a reminder (may use its link)
    kOnWeb = 64,        // switched from the app to the web after an app-only failure
  };

  struct DisabledWindow {
    Window w;
    bool detected = false;  // anomaly monitoring re-enabled the module
    SimTime detected_at = kTimeNever;
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
  // A batch of a rule with `spread`: its messages sorted by send time and released by one
  // cursor event at a time, so the kernel holds one record per batch, not per message.
  struct PacedBatch {
    struct Send {
      SimTime at;
      std::uint32_t borrower;
    };
    std::vector<Send> sends;
    std::size_t next = 0;
    MessageKey key;
  };

  // notify.cc
  static void on_reminder_batch(void* self, Kernel& k, const Event& e);
  static void on_sms_seen(void* self, Kernel& k, const Event& e);
  static void on_app_seen(void* self, Kernel& k, const Event& e);
  static void on_receipt(void* self, Kernel& k, const Event& e);
  static void on_fallback_check(void* self, Kernel& k, const Event& e);
  static void on_retry_check(void* self, Kernel& k, const Event& e);
  static void on_carrier_arrival(void* self, Kernel& k, const Event& e);
  static void on_network_lost(void* self, Kernel& k, const Event& e);
  static void on_resend_batch(void* self, Kernel& k, const Event& e);
  static void on_spread_send(void* self, Kernel& k, const Event& e);
  void run_batch(std::uint32_t rule, std::uint32_t day, bool resend);
  void send(std::uint32_t borrower, MessageKey key);
  void send_sms(std::uint32_t borrower, MessageKey key);
  void send_app(std::uint32_t borrower, MessageKey key);
  void after_carrier(std::uint32_t borrower, MessageKey key, int vendor, SimTime at_carrier,
                     SimTime accepted_at, SimTime expires_at);
  void count_delivery(std::uint32_t borrower, MessageKey key, SimTime at);
  bool suppressed(std::uint32_t borrower, Channel channel, SimTime t) const;
  SimTime batch_time(std::uint32_t borrower, std::uint32_t rule) const;
  SimTime spread_offset(std::uint32_t borrower, std::uint32_t rule) const;  // ReminderRule::spread

  // monitor.cc
  static void on_monitor_tick(void* self, Kernel& k, const Event& e);
  void record_send(int vendor, SimTime accepted_at, bool receipt_within_lag);
  void detected(SimTime t);
  void check_failover(SimTime now);
  void check_anomalies(SimTime now);
  bool routing_to_secondary() const { return failover_active_; }

  // behaviour.cc
  static void on_due_list(void* self, Kernel& k, const Event& e);
  static void on_deadline(void* self, Kernel& k, const Event& e);
  static void on_payment(void* self, Kernel& k, const Event& e);
  void saw_reminder(std::uint32_t borrower, Channel channel, SimTime sent_at);
  void schedule_payment(std::uint32_t borrower, SimTime at);
  void settle_missed(std::uint32_t borrower);
  SimTime deadline(std::uint32_t borrower) const {
    return (static_cast<SimTime>(population_.due_day[borrower]) + 1) * kDay;
  }
  double channel_effect(Channel channel) const;

  // journey.cc
  static void on_repay(void* self, Kernel& k, const Event& e);
  void attempt(std::uint32_t borrower, bool repay);
  int journey(std::uint32_t borrower, std::uint64_t key,
              SimTime t);  // -1 = success, else PaymentFailure
  bool otp_arrives(std::uint32_t borrower, std::uint64_t key, SimTime t) const;
  bool other_factor(std::uint32_t borrower) const;  // non_sms_otp
  void charge(std::uint32_t borrower);
  void confirm(std::uint32_t borrower, std::uint64_t key);
  void count_failure(PaymentFailure cause);
  void fail(std::uint32_t borrower, std::uint64_t key,
            PaymentFailure cause);  // what the borrower does next
  void trouble(SimTime t);          // status_announcement's signal: a failure or a second payment
  bool announced(SimTime t) const;
  bool cutover_affects(std::uint32_t borrower, SimTime start, SimTime t) const;  // staged_cutover
  SimTime frozen_from(std::uint32_t borrower, SimTime t) const;

  // world.cc
  static void prefetch_borrower(const void* self, const Event& next);  // Kernel::set_prefetch
  void schedule_world();
  void check_invariants() const;

  const Scenario& scenario_;
  const Population& population_;
  std::uint64_t run_seed_;
  Schedule schedule_;
  Kernel kernel_;
  Counters counters_;
  std::vector<std::uint8_t> state_;
  std::vector<std::uint8_t> delivered_rules_;  // bit r: reminder rule r reached the borrower
  std::vector<std::uint8_t> receipts_;         // bit r: a delivery receipt came back (when needed)
  std::vector<std::uint32_t> paid_at_s_;       // payment time in seconds (stale due lists only)
  // A borrower's payment attempts in one small record: an attempt costs one cache miss.
  struct Attempts {
    std::uint8_t total = 0;         // so far (keys the journey's draws)
    std::uint8_t session = 0;       // since the borrower last gave up
    std::uint8_t last_failure = 0;  // 1 + PaymentFailure of the last failed attempt; 0 = none
  };
  std::vector<Attempts> attempts_;
  std::vector<std::uint32_t> link_sent_s_;  // reminder link issue time in seconds (links only)
  std::vector<SmsVendor> vendors_;
  CarrierNetwork carriers_;
  AppChannels channels_;
  KeyedRandom behaviour_;
  KeyedRandom plugin_luck_;
  KeyedRandom spread_luck_;   // "reminder/spread": per-borrower send offsets of spread rules
  KeyedRandom journey_luck_;  // "payment/borrower": the borrower's choices in the journey
  PaymentSystem payments_;
  std::vector<VendorSpec> otp_vendors_;  // the vendors as the OTP route sees them (handset in hand)
  std::vector<std::uint32_t> attempts_per_min_, trouble_per_min_;  // status_announcement
  int primary_ = 0;
  int applying_fault_ = -1;

  // Faults on the notification service.
  std::vector<DisabledWindow> disabled_;
  std::vector<Pause> pauses_;
  std::vector<StaleDueList> stale_;
  std::vector<PacedBatch> paced_;  // spread batches; on_spread_send's target indexes it

  // Mitigations.
  FailoverConfig failover_;
  bool failover_active_ = false;
  SimTime failover_evaluate_from_ = 0;  // judge only sends after the last switch
  FallbackConfig fallback_;
  RetryConfig retry_;
  bool status_routing_ = false;
  Channel status_fallback_ = Channel::sms;
  SimTime status_lookup_lag_ = 0;
  SimTime grace_extra_ = 0;
  double autopay_share_ = 0;
  double canary_ = 1.0;  // share of borrowers on the new system during a cutover
  SimTime rollback_after_ = kTimeNever;
  MonitoringConfig monitoring_;

  // Monitoring state: per vendor, per minute of the horizon, messages accepted and the
  // receipts that came back within kReceiptLag of acceptance.
  std::vector<std::vector<std::uint32_t>> sent_per_min_, receipts_per_min_;
  SimTime first_fault_start_ = kTimeNever;
  SimTime first_detection_ = kTimeNever;
  SimTime first_recovery_ = kTimeNever;
  SimTime first_fault_end_ = kTimeNever;
  SimTime anomaly_quiet_until_ = 0;  // one alarm per collapse

  Transport* transport_ = nullptr;
  std::uint32_t network_lost_ = 0;
  std::vector<std::string> vendor_hosts_, carrier_hosts_;
  HandlerId h_due_list_, h_reminder_batch_, h_deadline_, h_payment_, h_sms_seen_, h_app_seen_,
      h_receipt_, h_fallback_, h_retry_, h_monitor_, h_carrier_arrival_, h_network_lost_, h_resend_,
      h_spread_send_, h_repay_;

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

// Configures a World for every strategy on an empty population, so that plug-in
// configuration errors surface as ScenarioErrors before anything runs.
void check_plugins(const Scenario& scenario);

}  // namespace faultline
