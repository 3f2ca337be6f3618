// Correlated failures (issue 18): whether a fault that fails a share of attempts picks
// the failing attempts independently (`per: attempt`, the default) or hits a persistent
// share of borrowers — their card, device or number — for its whole window (`per:
// borrower`, `affected_share:`). In the Visa Europe 2018 outage 8.7 % of attempts failed
// but the share of transactions with a failure was about half that: failures clustered on
// some cards, whose holders retried and failed again (tests/validity, docs/validation.md).
// The faults that have it: gateway_outage (cards), vendor_degradation's error_rate and
// spam_filtering's share (phone numbers); the model side is sim/model/affected.h.
//
// Semantics, for a fault whose `rate` parameter is the share of attempts (or messages)
// that fail:
// - per: attempt — every attempt in the window fails with `rate`, independently;
//   `affected_share` must stay 100 %.
// - per: borrower — a borrower is affected with `affected_share` (a keyed draw on the
//   borrower and the fault's salt: the same borrowers all through the window, in every
//   strategy, whatever the thread or shard split); an affected borrower's attempts fail
//   with rate / affected_share, the others' never. So a fresh attempt (one not prompted by
//   an earlier failure) still fails with `rate`, and `rate` ≤ `affected_share` is required.
//   Retries come from the borrowers who failed, so the measured payment_failure_rate
//   rises above `rate` while borrowers_with_failure stays near `rate` of those attempting.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/affected.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/params.h"
#include "sim/scenario/scenario.h"

namespace faultline {

// The two parameters, after the plug-in's own (texts shared by every fault that has them:
// ParamSpec holds string views, so they are literals).
inline std::vector<ParamSpec> with_correlation(std::vector<ParamSpec> own) {
  own.push_back({"per", ParamKind::kChoice, "attempt",
                 "attempt: each attempt (payment, message) fails independently; borrower: a "
                 "persistent share of borrowers (affected_share: their card or phone number) "
                 "fails all through the window",
                 "attempt|borrower"});
  own.push_back({"affected_share", ParamKind::kProbability, "100%",
                 "per: borrower only: the share of borrowers (cards, phone numbers) the fault "
                 "hits; their attempts fail with the fault's rate / affected_share (rate ≤ "
                 "affected_share)"});
  return own;
}

struct Correlation {
  Affected affected;        // who is hit (sim/model/affected.h)
  double attempt_rate = 0;  // the failure probability of an attempt that is hit
};

// `salt`: the fault's World::fault_salt, the key of the borrower draw.
inline Correlation correlation_of(const ParamSet& p, std::string_view rate, std::uint64_t salt) {
  Correlation c;
  c.affected.salt = salt;
  c.affected.per_borrower = p.text("per") == "borrower";
  c.attempt_rate = p.number(rate);
  if (c.affected.per_borrower) {
    c.affected.share = p.number("affected_share");
    // rate ≤ affected_share is validated; 0/0 means nobody is affected.
    c.attempt_rate = c.affected.share > 0 ? std::min(1.0, c.attempt_rate / c.affected.share) : 0;
  }
  return c;
}

// The plug-in's check (PluginInfo::validate): file:line:col, exit 2.
inline void validate_correlation(const PluginUse& use, std::string_view rate,
                                 const std::string& file) {
  const double share = use.params.number("affected_share");
  if (use.params.text("per") != "borrower") {
    if (share < 1)
      fail_param(use, "affected_share", file,
                 "affected_share applies with `per: borrower` only (this fault has per: "
                 "attempt, where every attempt is hit); expected per: borrower or no "
                 "affected_share");
    return;
  }
  const double r = use.params.number(rate);
  if (r > share)
    fail_param(
        use, use.params.get(rate).loc.line > 0 ? rate : "affected_share", file,
        std::string(rate) + " " + use.params.get(rate).text + " is more than affected_share " +
            use.params.get("affected_share").text +
            ": the affected borrowers would have to fail more than every attempt; expected " +
            std::string(rate) + " ≤ affected_share");
}

}  // namespace faultline
