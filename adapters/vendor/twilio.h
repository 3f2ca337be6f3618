// Twilio's Messages API as the emulator speaks it: the shape of account and message SIDs,
// the error bodies and codes, the message resource, phone-number validation, HTTP Basic
// credentials and the X-Twilio-Signature of status callbacks. Pure functions, so the wire
// format is unit-tested without a socket; docs/adapters.md lists every code used.
//
// The AccountSid rule: a vendor named N has AccountSid "AC" + the first 32 hex digits of
// SHA-256("faultline-vendor:" + N). It has Twilio's shape (AC + 32 hex digits), so the
// SDKs accept it, and anyone can derive it from the scenario without running anything.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::vendor {

inline constexpr std::string_view kApiVersion = "2010-04-01";

std::string account_sid(std::string_view vendor_name);
// "SM" + 32 hex digits, a pure function of (run seed, vendor, acceptance sequence).
std::string message_sid(std::uint64_t run_seed, int vendor, std::uint64_t sequence);
bool is_sid(std::string_view text, std::string_view prefix);  // prefix + 32 hex digits

// Twilio's error body: {"code", "message", "more_info", "status"}.
struct ApiError {
  int status = 400;
  int code = 0;
  std::string message;
};
nlohmann::ordered_json error_body(const ApiError& e);

// The errors the emulator answers with (codes from https://www.twilio.com/docs/api/errors).
ApiError unauthorized();                          // 401, 20003
ApiError not_found(std::string_view resource);    // 404, 20404
ApiError too_many_requests();                     // 429, 20429
ApiError service_unavailable();                   // 503, 20503 (vendor_outage reject)
ApiError missing_to();                            // 400, 21604
ApiError missing_from();                          // 400, 21603
ApiError missing_body();                          // 400, 21602
ApiError invalid_to(std::string_view to);         // 400, 21211
ApiError invalid_callback(std::string_view url);  // 400, 21609
ApiError body_too_long();                         // 400, 21617

// E.164: '+', then 8 to 15 digits, the first not 0 (what Twilio accepts as a 'To').
bool is_e164(std::string_view number);

// "Basic base64(user:password)" → {user, password}; nothing when malformed.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header);

// X-Twilio-Signature: base64(HMAC-SHA1(token, url + k1 + v1 + k2 + v2 ...)) with the
// parameters sorted by name (then value), as Twilio's helper libraries check it.
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             std::vector<std::pair<std::string, std::string>> params);

// RFC 2822 date as Twilio writes it: "Mon, 30 Nov 2026 08:16:14 +0000".
std::string rfc2822_date(std::int64_t unix_ms);

}  // namespace faultline::vendor
