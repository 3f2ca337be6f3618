// gateway_outage: a payment rail (card gateway, quick-pay/NFC, open banking) is down or
// declines a share of attempts. Calibration: Visa Europe 1 June 2018, 10 h 10 min, 8.7 %
// of UK attempts failed (Visa letter 2018); everyday technical declines 1.9–3.7 % (NPCI).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  const int rail = world.rail_index(f.params.get("rail"));
  for (const Window& w : f.windows)
    world.payments().add_gateway_outage(
        {rail, w.start, w.end, f.params.number("error_rate"), World::fault_salt(f.index)});
}

const RegisterFault registered{
    {{.name = "gateway_outage",
      .summary = "a payment rail is down or fails a share of attempts",
      .params = with_schedule({{"rail", ParamKind::kText, "",
                                "the rail, as declared under payments.rails (default: card)"},
                               {"error_rate", ParamKind::kProbability, "100%",
                                "share of attempts that fail (100% = down)"}},
                              "2h"),
      .effect = "a `rail` fails `error_rate` (100 %) of attempts",
      .calibration = "Visa Europe 2018: 10 h 10 min, 8.7 % of UK attempts failed (A/B)"},
     apply}};
}  // namespace

}  // namespace faultline
