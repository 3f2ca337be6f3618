// autopay: enrol more borrowers in automatic payment; enrolled borrowers pay on the due
// date whatever happens to reminders (Gathergood et al. 2019: late fees "all but
// eliminated" after switching). The base enrolment is population.reachability.autopay.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  world.raise_autopay(p.number("share"));
}
}  // namespace

Plugin autopay_plugin() {
  return {{"autopay",
           "raise automatic-payment enrolment to a share of borrowers",
           {{"share", ParamKind::kProbability, "30%",
             "enrolment after the campaign (US cards: 16 % in 2018)"}}},
          apply};
}

}  // namespace faultline
