// The wire format of the emulated Messages API: SIDs, errors, numbers, credentials, dates.
#include "adapters/vendor/twilio.h"

#include <gtest/gtest.h>

namespace faultline::vendor {
namespace {

TEST(Twilio, AccountSidFollowsTheDocumentedRule) {
  // "AC" + the first 32 hex digits of SHA-256("faultline-vendor:alpha") (docs/adapters.md).
  EXPECT_EQ(account_sid("alpha"), "AC85ca142da19a5f6dde0d9d1fcec602f6");
}

TEST(Twilio, SidShapes) {
  const std::string sid = account_sid("beta");
  EXPECT_TRUE(is_sid(sid, "AC"));
  EXPECT_NE(sid, account_sid("alpha"));
  const std::string m = message_sid(7, 0, 42);
  EXPECT_TRUE(is_sid(m, "SM")) << m;
  EXPECT_EQ(m, message_sid(7, 0, 42));  // a pure function of (seed, vendor, sequence)
  EXPECT_NE(m, message_sid(7, 0, 43));
  EXPECT_NE(m, message_sid(7, 1, 42));
  EXPECT_FALSE(is_sid("AC123", "AC"));
  EXPECT_FALSE(is_sid("SM" + std::string(32, 'g'), "SM"));
  EXPECT_FALSE(is_sid(m, "AC"));
}

TEST(Twilio, ErrorBodiesHaveTwiliosFourFields) {
  const auto j = error_body(invalid_to("+12"));
  EXPECT_EQ(j["code"], 21211);
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/21211");
  EXPECT_NE(j["message"].get<std::string>().find("+12"), std::string::npos);
  EXPECT_EQ(j.size(), 4u);
  EXPECT_EQ(unauthorized().status, 401);
  EXPECT_EQ(unauthorized().code, 20003);
  EXPECT_EQ(too_many_requests().code, 20429);
  EXPECT_EQ(not_found("/x").code, 20404);
  EXPECT_EQ(missing_body().code, 21602);
  EXPECT_EQ(missing_to().code, 21604);
  EXPECT_EQ(service_unavailable().status, 503);
}

TEST(Twilio, E164) {
  EXPECT_TRUE(is_e164("+15005550006"));
  EXPECT_TRUE(is_e164("+447911123456"));
  EXPECT_FALSE(is_e164("15005550006"));        // no '+'
  EXPECT_FALSE(is_e164("+05005550006"));       // country code cannot start with 0
  EXPECT_FALSE(is_e164("+1500555000612345"));  // 16 digits
  EXPECT_FALSE(is_e164("+1555"));              // too short
  EXPECT_FALSE(is_e164("+1 500 555 0006"));    // spaces
  EXPECT_FALSE(is_e164(""));
}

TEST(Twilio, BasicCredentials) {
  // "ACxx:token" in base64.
  const auto c = basic_credentials("Basic QUN4eDp0b2tlbg==");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->first, "ACxx");
  EXPECT_EQ(c->second, "token");
  EXPECT_TRUE(basic_credentials("basic QUN4eDp0b2tlbg==").has_value());  // scheme is case-free
  EXPECT_FALSE(basic_credentials("Bearer QUN4eDp0b2tlbg==").has_value());
  EXPECT_FALSE(basic_credentials("Basic !!!!").has_value());
  EXPECT_FALSE(basic_credentials("Basic dXNlcg==").has_value());  // "user": no colon
  EXPECT_FALSE(basic_credentials("").has_value());
}

TEST(Twilio, Rfc2822Dates) {
  EXPECT_EQ(rfc2822_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc2822_date(1796026574000LL), "Mon, 30 Nov 2026 08:16:14 +0000");
}

}  // namespace
}  // namespace faultline::vendor
