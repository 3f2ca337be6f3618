// non_sms_otp: when the SMS one-time password does not arrive (suspended number, vendor or
// carrier outage), the login offers another factor: an app-based code (app users) or an
// e-mailed code (borrowers with an address on file). The cash-loan "phones suspended"
// incident's non-SMS MFA.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const std::string& m = p.text("method");
  world.payments().enable_otp_fallback(m == "app"     ? OtpFallback::kApp
                                       : m == "email" ? OtpFallback::kEmail
                                                      : OtpFallback::kAppOrEmail);
}
}  // namespace

Plugin non_sms_otp_plugin() {
  return {{"non_sms_otp",
           "offer an app or e-mail one-time password when the SMS one does not arrive",
           {{"method", ParamKind::kChoice, "app_or_email",
             "app: app users; email: borrowers with an e-mail address; app_or_email: either",
             "app|email|app_or_email"}}},
          apply};
}

}  // namespace faultline
