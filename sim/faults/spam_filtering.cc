// spam_filtering: handsets or carriers filter messages from a sender ID into a spam
// folder: delivered (the vendor reports success) but never seen — invisible to delivery
// receipts, visible only in behaviour.
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const int vendor = world.vendor_index(p.text("target"));
  std::uint64_t salt = world.fault_stream();
  for (const Window& w : world.fault_windows(p))
    world.carriers().add_spam_filter({vendor, w.start, w.end, p.number("share"), salt += 16});
}
}  // namespace

Plugin spam_filtering_plugin() {
  return {
      {"spam_filtering", "messages from a vendor's sender ID are delivered to spam folders, unseen",
       with_schedule(
           {{"target", ParamKind::kVendor, "*", "whose sender ID is filtered, or * for all"},
            {"share", ParamKind::kProbability, "30%", "of delivered messages filtered"}},
           "7d")},
      apply};
}

}  // namespace faultline
