// data_sync_lag: the due list is built from stale data. Borrowers who paid within `lag`
// still get reminded (annoying, and it prompts support contacts), and a share of
// borrowers is missing from the list altogether (the test/prod data mismatch). With
// `app_lag`, the app's copy of the core lags too: new instalments show late and payments
// are confirmed late (which makes borrowers pay again).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  for (const Window& w : world.fault_windows(p)) {
    if (p.time("lag") > 0 || p.number("missing_share") > 0)
      world.stale_due_list(w, p.time("lag"), p.number("missing_share"));
    if (p.time("app_lag") > 0) world.payments().add_sync_lag({w.start, w.end, p.time("app_lag")});
  }
}
}  // namespace

Plugin data_sync_lag_plugin() {
  return {{"data_sync_lag",
           "reminder batches are built from stale data: payers reminded, borrowers missing",
           with_schedule(
               {{"lag", ParamKind::kDuration, "2d", "age of the data the due list is built from"},
                {"missing_share", ParamKind::kProbability, "0%",
                 "of borrowers absent from the stale list"},
                {"app_lag", ParamKind::kDuration, "0s",
                 "age of the data the app shows (payment side)"}},
               "3d")},
          apply};
}

}  // namespace faultline
