// data_sync_lag: the due list is built from stale data. Borrowers who paid within `lag`
// still get reminded (annoying, and it prompts support contacts), and a share of
// borrowers is missing from the list altogether (the test/prod data mismatch). With
// `app_lag`, the app's copy of the core lags too: new instalments show late and payments
// are confirmed late (which makes borrowers pay again).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  const ParamSet& p = f.params;
  for (const Window& w : f.windows) {
    if (p.time("lag") > 0 || p.number("missing_share") > 0)
      world.stale_due_list(w, p.time("lag"), p.number("missing_share"), World::fault_salt(f.index));
    if (p.time("app_lag") > 0) world.payments().add_sync_lag({w.start, w.end, p.time("app_lag")});
  }
}

const RegisterFault registered{
    {{.name = "data_sync_lag",
      .summary = "reminder batches are built from stale data: payers reminded, borrowers missing",
      .params = with_schedule(
          {{"lag", ParamKind::kDuration, "2d", "age of the data the due list is built from"},
           {"missing_share", ParamKind::kProbability, "0%",
            "of borrowers absent from the stale list"},
           {"app_lag", ParamKind::kDuration, "0s", "age of the data the app shows (payment side)"}},
          "3d"),
      .effect = "due lists from data `lag` old: recent payers reminded, `missing_share` of "
                "borrowers absent; payment side: `app_lag`, the app shows the core `app_lag` "
                "late (late confirmations ⇒ second payments)",
      .calibration = "assumption"},
     apply}};
}  // namespace

}  // namespace faultline
