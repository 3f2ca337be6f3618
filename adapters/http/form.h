// Percent-encoding and application/x-www-form-urlencoded bodies (the WHATWG URL standard's
// form rules: '+' is a space, every byte outside [A-Za-z0-9*-._] is %XX). Twilio-style APIs
// take form bodies and send form-encoded status callbacks, so the SMS-vendor emulator and
// its tests need both directions; fields keep their order and repeats (MediaUrl=...&MediaUrl=...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX and, when `plus_is_space`, '+'. Malformed escapes are kept as written.
std::string url_decode(std::string_view text, bool plus_is_space = false);
// Encodes for a form field or a query value: space as '+'.
std::string form_encode_component(std::string_view text);
// Encodes one path segment (space as %20, '/' escaped).
std::string path_encode_segment(std::string_view text);

FormFields parse_form(std::string_view body);
std::string encode_form(const FormFields& fields);
// The first value of `name`, or nothing.
std::optional<std::string> form_value(const FormFields& fields, std::string_view name);

}  // namespace faultline::http
