// non_sms_otp: when the SMS one-time password does not arrive (suspended number, vendor or
// carrier outage), the login offers another factor: an app-based code (app users) or an
// e-mailed code (borrowers with an address on file). The cash-loan "phones suspended"
// incident's non-SMS MFA.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class NonSmsOtp final : public Subscriber {
 public:
  NonSmsOtp(const ParamSet& p, World& world)
      : channels_(world.channels()),
        app_(p.text("method") != "email"),
        email_(p.text("method") != "app") {
    world.hooks().subscribe(Hook::kSecondFactor, this);
  }
  bool second_factor(std::uint32_t borrower) override {
    return (app_ && channels_.app_user(borrower)) || (email_ && channels_.has_email(borrower));
  }

 private:
  const AppChannels& channels_;
  bool app_, email_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<NonSmsOtp>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "non_sms_otp",
      .summary = "offer an app or e-mail one-time password when the SMS one does not arrive",
      .params = {{"method", ParamKind::kChoice, "app_or_email",
                  "app: app users; email: borrowers with an e-mail address; app_or_email: either",
                  "app|email|app_or_email"}},
      .effect = "`method`: `app` (app users), `email` (an address on file) or `app_or_email` "
                "when the SMS code does not arrive"},
     apply}};
}  // namespace

}  // namespace faultline
