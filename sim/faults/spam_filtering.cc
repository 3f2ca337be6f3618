// spam_filtering: handsets or carriers filter messages from a sender ID into a spam
// folder: delivered (the vendor reports success) but never seen — invisible to delivery
// receipts, visible only in behaviour.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const int vendor = sms.vendor_index(f.target);
  std::uint64_t salt = World::fault_salt(f.index);
  for (const Window& w : f.windows)
    sms.carriers.add_spam_filter({vendor, w.start, w.end, f.params.number("share"), salt += 16});
}

const RegisterFault registered{
    {.info = {.name = "spam_filtering",
              .summary = "messages from a vendor's sender ID are delivered to spam folders, unseen",
              .params = with_schedule(
                  {{"target", ParamKind::kVendor, "*", "whose sender ID is filtered, or * for all"},
                   {"share", ParamKind::kProbability, "30%", "of delivered messages filtered"}},
                  "7d"),
              .effect = "a `share` of a sender ID's messages delivered to spam folders, unseen",
              .calibration = "assumption"},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
