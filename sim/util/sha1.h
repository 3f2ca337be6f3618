// SHA-1 (FIPS 180-4), HMAC-SHA1 (RFC 2104) and base64 (RFC 4648), in-tree because the SMS
// vendor emulator signs its status callbacks the way Twilio does (X-Twilio-Signature:
// base64 of HMAC-SHA1 over the callback URL and its sorted parameters, keyed with the
// account's auth token) and reads HTTP Basic credentials — and the project links no crypto
// library. SHA-1 is used here only because the wire format demands it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline {

std::array<std::uint8_t, 20> sha1(std::string_view data);
std::array<std::uint8_t, 20> hmac_sha1(std::string_view key, std::string_view message);
std::string base64_encode(std::string_view bytes);
// Strict decoding (padding required, no whitespace); nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace faultline
