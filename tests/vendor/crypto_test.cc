// SHA-1, HMAC-SHA1 and base64 against their published test vectors (FIPS 180-4 examples,
// RFC 2202, RFC 4648), and the X-Twilio-Signature built from them.
#include <gtest/gtest.h>

#include <string>

#include "adapters/vendor/twilio.h"
#include "sim/util/sha1.h"

namespace faultline {
namespace {

std::string hex(const std::array<std::uint8_t, 20>& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (const auto b : d) s += k[b >> 4], s += k[b & 15];
  return s;
}

TEST(Sha1, PublishedVectors) {
  EXPECT_EQ(hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // 55 bytes: the longest message whose padding fits in one block (value from sha1sum).
  EXPECT_EQ(hex(sha1(std::string(55, 'x'))), "cef734ba81a024479e09eb5a75b6ddae62e6abf1");
}

TEST(HmacSha1, Rfc2202) {
  EXPECT_EQ(hex(hmac_sha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex(hmac_sha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(hmac_sha1(std::string(80, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(Base64, Rfc4648) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded).value_or("<none>"), plain);
  }
  EXPECT_FALSE(base64_decode("Zm9").has_value());       // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Zm=v").has_value());      // data after padding
  EXPECT_FALSE(base64_decode("Zm9v!A==").has_value());  // not in the alphabet
}

TEST(TwilioSignature, MatchesTheDocumentedExample) {
  // Twilio's published example for its helper libraries' validateRequest: token 12345,
  // this URL and these parameters (given unsorted here) carry this signature.
  const std::vector<std::pair<std::string, std::string>> params = {{"To", "+18005551212"},
                                                                   {"CallSid", "CA1234567890ABCDE"},
                                                                   {"Caller", "+14158675310"},
                                                                   {"Digits", "1234"},
                                                                   {"From", "+14158675310"}};
  EXPECT_EQ(
      vendor::twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
      "GvWf1cFY/Q7PnoempGyD5oXAezc=");
}

}  // namespace
}  // namespace faultline
