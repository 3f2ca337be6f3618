#include "adapters/vendor/engine.h"

#include <stdexcept>
#include <string>

#include "sim/model/population.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"
#include "sim/random/hash.h"

namespace faultline::vendor {

namespace {
// Twilio error codes of the fates (https://www.twilio.com/docs/api/errors).
constexpr int kQueueOverflow = 30001;       // waited past its validity in the vendor's queue
constexpr int kUnreachable = 30003;         // handset off until the validity ran out
constexpr int kUnknownDestination = 30005;  // suspended number
constexpr int kUnknownError = 30008;        // the vendor failed it

// The kind of a fault's `target` parameter (a vendor, a carrier), as its plug-in declares
// it; ParamKind::kText when it has none or breaks something other than the SMS path.
ParamKind target_kind(std::string_view fault_type) {
  const FaultPlugin* plugin = fault_registry().find(fault_type);
  if (plugin == nullptr || plugin->apply_sms == nullptr) return ParamKind::kText;
  for (const ParamSpec& p : plugin->info.params)
    if (p.name == "target") return p.kind;
  return ParamKind::kText;
}
}  // namespace

std::string_view status_name(Status s) {
  switch (s) {
    case Status::queued:
      return "queued";
    case Status::sent:
      return "sent";
    case Status::delivered:
      return "delivered";
    case Status::undelivered:
      return "undelivered";
    case Status::failed:
      return "failed";
  }
  return "queued";
}

std::string_view cause_name(Cause c) {
  switch (c) {
    case Cause::delivered:
      return "delivered";
    case Cause::rejected:
      return "rejected";
    case Cause::dropped:
      return "dropped";
    case Cause::queue_expired:
      return "queue_expired";
    case Cause::vendor_failure:
      return "vendor_failure";
    case Cause::undeliverable:
      return "undeliverable";
    case Cause::carrier_expired:
      return "carrier_expired";
  }
  return "delivered";
}

Engine::Engine(const Scenario& scenario, std::uint64_t run_seed, std::vector<LiveWindow> windows)
    : scenario_(scenario),
      run_seed_(run_seed),
      windows_(std::move(windows)),
      carriers_(scenario, run_seed),
      carrier_draw_(run_seed, "population/carrier") {
  if (scenario.carriers.empty()) throw std::invalid_argument("the scenario declares no carrier");
  vendors_.reserve(scenario.vendors.size());
  for (const VendorSpec& v : scenario.vendors) vendors_.emplace_back(v, run_seed);
  apply_faults();
}

// The fault plug-ins of sim/faults that break the SMS path apply themselves to this
// engine's vendors and carriers exactly as to the simulator's World (apply_sms), with the
// windows of this run; faults upstream of the vendor (core cutover, pauses, payment side)
// are the lender's own system and have no live effect here.
void Engine::apply_faults() {
  const Schedule shells = Schedule::nominal(scenario_.faults, scenario_.horizon);
  const SmsPath sms{scenario_, vendors_, carriers_};
  for (const ScheduledFault& nominal : shells.faults()) {
    const FaultPlugin* plugin = fault_registry().find(nominal.type);
    if (plugin == nullptr || plugin->apply_sms == nullptr) continue;
    ScheduledFault f = nominal;
    f.windows.clear();
    for (const LiveWindow& w : windows_) {
      if (w.fault != f.index) continue;
      // A window's keyed draws (suspensions, spam filtering) depend on its occurrence.
      if (w.occurrence != static_cast<int>(f.windows.size()))
        throw std::invalid_argument("fault " + std::to_string(f.index) + " (" + f.type +
                                    "): its windows are not every occurrence in order");
      f.windows.push_back({w.start, w.end});
    }
    plugin->apply_sms(f, sms);
  }
}

bool targets_vendor(std::string_view fault_type) {
  return target_kind(fault_type) == ParamKind::kVendor;
}
bool targets_carrier(std::string_view fault_type) {
  return target_kind(fault_type) == ParamKind::kCarrier;
}

std::uint32_t Engine::subscriber_of(std::string_view number) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : number) {
    if (c < '0' || c > '9') continue;  // "+1 555-0100" and "+15550100" are one number
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

int Engine::window_at(int vendor, int carrier, SimTime t) const {
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    const LiveWindow& w = windows_[i];
    if (t < w.start || t >= w.end) continue;
    const PluginUse& f = scenario_.faults[static_cast<std::size_t>(w.fault)];
    const std::string& target = f.params.all().count("target") ? f.params.text("target") : "*";
    if (targets_vendor(f.type) && (target == "*" || scenario_.vendor_index(target) == vendor))
      return static_cast<int>(i);
    if (targets_carrier(f.type) &&
        (target == "*" || index_by_name(scenario_.carriers, target) == carrier))
      return static_cast<int>(i);
  }
  return -1;
}

Fate Engine::submit(int vendor, std::string_view to, SimTime now) {
  Fate f;
  f.accepted_at = now;
  f.subscriber = subscriber_of(to);
  if (sequence_.size() >= kMaxSubscribers && !sequence_.count(f.subscriber)) {
    sequence_.clear();
    ++epoch_;
  }
  f.key = (static_cast<std::uint64_t>(epoch_) << 24) + sequence_[f.subscriber]++;
  f.carrier = carrier_by_share(scenario_.carriers, carrier_draw_.uniform01(f.subscriber));
  f.window = window_at(vendor, f.carrier, now);
  SmsVendor& v = vendors_[static_cast<std::size_t>(vendor)];
  const SendResult r = v.submit(now, f.subscriber, f.key, counters_);
  f.accepted = r.fate != SendFate::kRejected;
  switch (r.fate) {
    case SendFate::kRejected:
      f.cause = Cause::rejected;
      return f;
    case SendFate::kDropped:
      // A silent drop looks like any other message to the sender — the vendor says it
      // sent it — until the delivery receipt never comes.
      f.cause = Cause::dropped;
      f.sent_at = r.left_queue_at;
      return f;
    case SendFate::kExpired:
      f.cause = Cause::queue_expired;
      f.final_status = Status::failed;
      f.final_at = std::max(r.left_queue_at, r.expires_at);
      f.error_code = kQueueOverflow;
      f.receipt_status = Status::failed;
      f.receipt_at = f.final_at;
      return f;
    case SendFate::kFailed:
      f.cause = Cause::vendor_failure;
      f.final_status = Status::failed;
      f.final_at = r.left_queue_at;
      f.error_code = kUnknownError;
      f.receipt_status = Status::failed;
      f.receipt_at = f.final_at;
      return f;
    case SendFate::kHandedToCarrier:
      break;
  }
  f.sent_at = r.carrier_time;
  const CarrierResult c = carriers_.carry(r.carrier_time, r.expires_at, f.subscriber, f.carrier,
                                          v.spec(), vendor, f.key);
  f.final_at = c.at;
  // Receipt loss (receipt_loss, outages at receipt time) applies to every delivery report.
  const bool receipt = v.receipt_arrives(c.at, f.subscriber, f.key);
  if (c.fate == CarrierFate::kDelivered || c.fate == CarrierFate::kFiltered) {
    f.cause = Cause::delivered;
    f.final_status = Status::delivered;
    f.filtered = c.fate == CarrierFate::kFiltered;
    f.receipt_status = Status::delivered;
  } else {
    f.cause = c.fate == CarrierFate::kUndeliverable ? Cause::undeliverable : Cause::carrier_expired;
    f.final_status = Status::undelivered;
    f.error_code = c.fate == CarrierFate::kUndeliverable ? kUnknownDestination : kUnreachable;
    // A false "delivered" receipt for a message that failed (false_delivered).
    f.receipt_status =
        v.false_receipt(f.subscriber, f.key) ? Status::delivered : Status::undelivered;
  }
  if (receipt) f.receipt_at = c.at + v.spec().receipt_delay;
  return f;
}

}  // namespace faultline::vendor
