#include "adapters/vendor/twilio.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "sim/random/hash.h"
#include "sim/util/sha1.h"
#include "sim/util/sha256.h"

namespace faultline::vendor {

namespace {
ApiError make(int status, int code, std::string message) {
  return {status, code, std::move(message)};
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

std::string account_sid(std::string_view vendor_name) {
  return "AC" +
         sha256_hex(std::string("faultline-vendor:") + std::string(vendor_name)).substr(0, 32);
}

std::string message_sid(std::uint64_t run_seed, int vendor, std::uint64_t sequence) {
  const std::uint64_t a = combine(run_seed, static_cast<std::uint64_t>(vendor), sequence);
  return "SM" + hex64(a) + hex64(mix64(a ^ 0x736d736964ULL));
}

bool is_sid(std::string_view text, std::string_view prefix) {
  if (text.size() != prefix.size() + 32 || text.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(
      text.begin() + static_cast<std::ptrdiff_t>(prefix.size()), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      });
}

nlohmann::ordered_json error_body(const ApiError& e) {
  nlohmann::ordered_json j;
  j["code"] = e.code;
  j["message"] = e.message;
  j["more_info"] = "https://www.twilio.com/docs/errors/" + std::to_string(e.code);
  j["status"] = e.status;
  return j;
}

ApiError unauthorized() {
  return make(401, 20003, "Authenticate");
}
ApiError not_found(std::string_view resource) {
  return make(404, 20404, "The requested resource " + std::string(resource) + " was not found");
}
ApiError too_many_requests() {
  return make(429, 20429, "Too Many Requests");
}
ApiError service_unavailable() {
  return make(503, 20503, "Service Unavailable");
}
ApiError missing_to() {
  return make(400, 21604, "A 'To' phone number is required.");
}
ApiError missing_from() {
  return make(400, 21603, "A 'From' phone number is required.");
}
ApiError missing_body() {
  return make(400, 21602, "Message body is required.");
}
ApiError invalid_to(std::string_view to) {
  return make(400, 21211, "Invalid 'To' Phone Number: " + std::string(to));
}
ApiError invalid_callback(std::string_view url) {
  return make(400, 21609, "Invalid StatusCallback: " + std::string(url));
}
ApiError body_too_long() {
  return make(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
}

bool is_e164(std::string_view n) {
  if (n.size() < 9 || n.size() > 16 || n[0] != '+' || n[1] == '0') return false;
  return std::all_of(n.begin() + 1, n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header) {
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i + 1 < kScheme.size(); ++i)  // the scheme is case-insensitive
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return std::nullopt;
  if (header[kScheme.size() - 1] != ' ') return std::nullopt;
  const std::optional<std::string> decoded = base64_decode(header.substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             std::vector<std::pair<std::string, std::string>> params) {
  std::sort(params.begin(), params.end());
  std::string data(url);
  for (const auto& [k, v] : params) data.append(k).append(v);
  const auto mac = hmac_sha1(auth_token, data);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string rfc2822_date(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

}  // namespace faultline::vendor
