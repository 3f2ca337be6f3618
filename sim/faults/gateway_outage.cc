// gateway_outage: a payment rail (card gateway, quick-pay/NFC, open banking) is down or
// declines a share of attempts — independently per attempt, or (`per: borrower`) on a
// persistent share of cards that keep failing all through the window (correlation.h).
// Calibration: Visa Europe 1 June 2018, 10 h 10 min, 8.7 % of UK attempts failed, about
// half that share of transactions had a failure (Visa letter 2018); everyday technical
// declines 1.9–3.7 % (NPCI).
#include "sim/faults/correlation.h"
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  const int rail = world.rail_index(f.params.get("rail"));
  const std::uint64_t salt = World::fault_salt(f.index);
  const Correlation c = correlation_of(f.params, "error_rate", salt);
  for (const Window& w : f.windows)
    world.payments().add_gateway_outage({rail, w.start, w.end, c.attempt_rate, salt, c.affected});
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  validate_correlation(use, "error_rate", file);
}

const RegisterFault registered{
    {{.name = "gateway_outage",
      .summary = "a payment rail is down or fails a share of attempts",
      .params = with_schedule(
          with_correlation({{"rail", ParamKind::kText, "",
                             "the rail, as declared under payments.rails (default: card)"},
                            {"error_rate", ParamKind::kProbability, "100%",
                             "share of attempts that fail (100% = down)"}}),
          "2h"),
      .effect = "a `rail` fails `error_rate` (100 %) of attempts; with `per: borrower`, only "
                "`affected_share` of borrowers are hit, each attempt of theirs failing with "
                "error_rate / affected_share (a fresh attempt still fails with `error_rate`; "
                "retries cluster on the hit cards)",
      .calibration = "Visa Europe 2018: 10 h 10 min, 8.7 % of UK attempts failed, about half "
                     "that share of transactions (A/B)",
      .validate = validate},
     apply}};
}  // namespace

}  // namespace faultline
