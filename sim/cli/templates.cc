// The starter scenarios of `faultline init` (one per incident family of DESIGN.md): small
// enough to run in seconds, commented for a first-time reader, and valid as written —
// tests/package/init_test.py runs `validate` and `run` on every one. {{NAME}} becomes the
// scenario name and {{SCHEMA}} the path of the editor schema.
#include "sim/cli/templates.h"

namespace faultline::cli {

namespace {

constexpr const char* kVendorOutage = R"yaml(# yaml-language-server: $schema={{SCHEMA}}
# {{NAME}}: the primary SMS vendor silently drops reminders for 48 hours.
#
# Written by `faultline init --template vendor-outage`. Every key is explained in
# docs/scenarios.md; `faultline list faults` and `faultline list mitigations` print the
# catalogue. Try:
#   faultline explain {{FILE}}     what happens when, in words
#   faultline run {{FILE}}         results, a summary table and the verdicts
scenario: {{NAME}}
description: >-
  The primary SMS vendor accepts reminders and loses them for 48 h; compare no mitigation
  with failover to a second vendor driven by the delivery-receipt rate.
horizon: 25d          # simulated time: the last due day plus grace must fit
seed: 1               # same seed, same binary => byte-identical results
replications: 10      # independent runs per strategy; intervals narrow as this grows
population:
  borrowers: 10000
  due_day: uniform(13, 16)   # instalments fall due on days 13 to 16
  grace: 5d                  # paid within grace = late; after it = missed
channels:
  sms: {vendors: [alpha, beta], primary: alpha}
infrastructure:
  vendors:
    alpha: {capacity: 500/s, failure_probability: 3%, first_attempt_failure: 38%, cost_per_message: 0.0075}
    beta: {capacity: 200/s, failure_probability: 3%, first_attempt_failure: 38%, cost_per_message: 0.0090}
reminders:
  - {before_due: 1d, at: "09:00"}   # one SMS at 09:00 the day before the due day
faults:
  # On from day 12 at 22:00 for 48 hours: the batches of days 13 and 14 go to alpha.
  - {type: vendor_outage, target: alpha, mode: silent_drop, at: 12d 22:00, duration: 48h}
strategies:
  baseline: {}          # the first strategy is the reference the others are compared with
  failover: {vendor_failover: {secondary: beta, detect: receipt_rate, window: 15m}}
# Turn the scenario into a test (`faultline check`, docs/ci.md) once you have seen the
# numbers `faultline run` prints, e.g.:
# expect:
#   - {metric: notification_loss_rate, strategy: failover, assert: "< 35%"}
)yaml";

constexpr const char* kPhonesSuspended = R"yaml(# yaml-language-server: $schema={{SCHEMA}}
# {{NAME}}: borrowers' phone numbers are suspended, so SMS reminders never arrive.
#
# Written by `faultline init --template phones-suspended`. Every key is explained in
# docs/scenarios.md; `faultline list faults` and `faultline list mitigations` print the
# catalogue. Try:
#   faultline explain {{FILE}}     what happens when, in words
#   faultline run {{FILE}}         results, a summary table and the verdicts
scenario: {{NAME}}
description: >-
  A SIM-registration deadline suspends 20 % of one carrier's numbers for a week; compare
  no mitigation with routing around suspended numbers and with a push/e-mail fallback.
horizon: 30d
seed: 1
replications: 10
population:
  borrowers: 10000
  due_day: uniform(5, 20)
  grace: 3d
  reachability: {app_users: 75%, push_opt_in: 60%, email: 70%}   # who can get push, e-mail
channels:
  sms: {vendors: [alpha]}
  push: {}              # declared = available; {} takes every default
  email: {effect: 10%}  # an e-mail prompts a tenth as often as an SMS
infrastructure:
  vendors:
    alpha: {capacity: 200/s, failure_probability: 3%, first_attempt_failure: 38%}
  carriers:             # shares add up to 100%
    east: {share: 55%}
    west: {share: 45%}
reminders:
  - {before_due: 2d, at: "10:00"}
  - {before_due: 0d, at: "08:00"}   # on the due day itself
faults:
  - {type: subscriber_suspension, target: east, share: 20%, at: 8d, duration: 7d}
strategies:
  baseline: {}
  status_routing: {carrier_status_routing: {fallback: push, lookup_lag: 1d}}
  multichannel: {multi_channel: {fallback: [push, email], after: 2h}}
# Turn the scenario into a test (`faultline check`, docs/ci.md) once you have seen the
# numbers `faultline run` prints, e.g.:
# expect:
#   - {metric: missed_payment_rate, strategy: multichannel, assert: "< 5%"}
)yaml";

constexpr const char* kGatewayFailure = R"yaml(# yaml-language-server: $schema={{SCHEMA}}
# {{NAME}}: the quick-pay gateway fails for 10 hours around a due date.
#
# Written by `faultline init --template gateway-failure`. Every key is explained in
# docs/scenarios.md; `faultline list faults` and `faultline list mitigations` print the
# catalogue. Try:
#   faultline explain {{FILE}}     what happens when, in words
#   faultline run {{FILE}}         results, a summary table and the verdicts
scenario: {{NAME}}
description: >-
  Quick-pay is down for 10 h on day 17; compare no mitigation with falling back to the
  card rail and with an in-app status announcement.
horizon: 35d
seed: 1
replications: 10
population:
  borrowers: 10000
  due_day: uniform(10, 25)
  grace: 5d
channels:
  sms: {vendors: [alpha]}
  push: {}
infrastructure:
  vendors:
    alpha: {capacity: 300/s, failure_probability: 2%, first_attempt_failure: 38%}
reminders:
  - {before_due: 2d, at: "10:00", channel: push}
  - {before_due: 0d, at: "08:00"}
payments:               # the payment journey (docs/model.md, "Payment side")
  backend: {capacity: 400/s, background: 100/s, error_rate: 0.2%}
  rails:                # shares add up to 100%
    quick_pay: {share: 40%, decline_rate: 3%}
    card: {share: 60%, decline_rate: 2%}
  retry: {probability: 50%, delay_mean: 10m, max_attempts: 4}
faults:
  - {type: gateway_outage, rail: quick_pay, at: 17d 08:00, duration: 10h}
strategies:
  baseline: {}
  fallback_rail: {fallback_payment_rail: {rail: card, from: quick_pay}}
  announcement: {status_announcement: {threshold: 10%}}
# Turn the scenario into a test (`faultline check`, docs/ci.md) once you have seen the
# numbers `faultline run` prints, e.g.:
# expect:
#   - {metric: payment_failures_gateway, strategy: fallback_rail, assert: "< 500"}
)yaml";

constexpr const char* kLinkExpiry = R"yaml(# yaml-language-server: $schema={{SCHEMA}}
# {{NAME}}: payment links in reminders expire after 30 minutes instead of 24 hours.
#
# Written by `faultline init --template link-expiry`. Every key is explained in
# docs/scenarios.md; `faultline list faults` and `faultline list mitigations` print the
# catalogue. Try:
#   faultline explain {{FILE}}     what happens when, in words
#   faultline run {{FILE}}         results, a summary table and the verdicts
scenario: {{NAME}}
description: >-
  A configuration change shortens reminder payment links to 30 minutes for ten days;
  compare no mitigation with refreshing an expired link when it is tapped.
horizon: 35d
seed: 1
replications: 10
population:
  borrowers: 10000
  due_day: uniform(10, 25)
  grace: 5d
channels:
  sms: {vendors: [alpha]}
  email: {}
infrastructure:
  vendors:
    alpha: {capacity: 300/s, failure_probability: 2%, first_attempt_failure: 38%}
reminders:
  - {before_due: 3d, at: "09:00"}
  - {before_due: 1d, at: "09:00", channel: email}
payments:
  link: {share: 60%, ttl: 24h}   # 60% of prompted payers tap the reminder's link
  rails:
    card: {share: 100%, decline_rate: 2%}
faults:
  - {type: link_expiry, ttl: 30m, at: 8d, duration: 10d}
strategies:
  baseline: {}
  link_refresh: {link_refresh: {}}   # a mitigation without parameters
# Turn the scenario into a test (`faultline check`, docs/ci.md) once you have seen the
# numbers `faultline run` prints, e.g.:
# expect:
#   - {metric: payment_failures_link_expired, strategy: link_refresh, assert: "< 1"}
)yaml";

constexpr Template kTemplates[] = {
    {"vendor-outage", "the primary SMS vendor silently drops reminders (failover)", kVendorOutage},
    {"phones-suspended", "carrier suspends numbers; SMS never arrives (routing, fallback)",
     kPhonesSuspended},
    {"gateway-failure", "a payment gateway fails near due dates (fallback rail, announcement)",
     kGatewayFailure},
    {"link-expiry", "reminder payment links expire too soon (link refresh)", kLinkExpiry},
};

}  // namespace

std::span<const Template> templates() {
  return kTemplates;
}

}  // namespace faultline::cli
