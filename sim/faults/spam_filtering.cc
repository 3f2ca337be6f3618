// spam_filtering: handsets or carriers filter messages from a sender ID into a spam
// folder: delivered (the vendor reports success) but never seen — invisible to delivery
// receipts, visible only in behaviour. With `per: borrower` the filter keeps blocking a
// persistent share of numbers (handsets whose filter has learnt the sender ID as spam, a
// carrier's per-subscriber blocking): every message to them is filtered with share /
// affected_share, resends too (correlation.h).
#include "sim/faults/correlation.h"
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const int vendor = sms.vendor_index(f.target);
  std::uint64_t salt = World::fault_salt(f.index);
  // The borrower draw keeps the fault's own salt: the same numbers in every occurrence.
  const Correlation c = correlation_of(f.params, "share", salt);
  for (const Window& w : f.windows)
    sms.carriers.add_spam_filter({vendor, w.start, w.end, c.attempt_rate, salt += 16, c.affected});
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  validate_correlation(use, "share", file);
}

const RegisterFault registered{
    {.info = {.name = "spam_filtering",
              .summary = "messages from a vendor's sender ID are delivered to spam folders, unseen",
              .params =
                  with_schedule(with_correlation({{"target", ParamKind::kVendor, "*",
                                                   "whose sender ID is filtered, or * for all"},
                                                  {"share", ParamKind::kProbability, "30%",
                                                   "of delivered messages filtered"}}),
                                "7d"),
              .effect = "a `share` of a sender ID's messages delivered to spam folders, unseen; "
                        "with `per: borrower` only `affected_share` of numbers, each message to "
                        "them filtered with share / affected_share",
              .calibration = "assumption",
              .validate = validate},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
