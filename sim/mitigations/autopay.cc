// autopay: enrol more borrowers in automatic payment; enrolled borrowers pay on the due
// date whatever happens to reminders (Gathergood et al. 2019: late fees "all but
// eliminated" after switching). The base enrolment is population.reachability.autopay.
#include <algorithm>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const PluginUse& use, World& world) {
  double& share = world.lender().autopay_share;
  share = std::max(share, use.params.number("share"));
}

const RegisterMitigation registered{
    {{.name = "autopay",
      .summary = "raise automatic-payment enrolment to a share of borrowers",
      .params = {{"share", ParamKind::kProbability, "30%",
                  "enrolment after the campaign (US cards: 16 % in 2018)"}},
      .effect = "enrolment raised to `share`"},
     apply}};
}  // namespace

}  // namespace faultline
