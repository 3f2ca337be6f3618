#include "reports/html.h"

#include <cctype>
#include <cstdio>

#include "sim/util/escape.h"

namespace faultline::report {

namespace {
bool starts_with_ci(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower_prefix[i]) return false;
  return true;
}
}  // namespace

std::string escape_html(std::string_view text) {
  return escape_markup(text);
}

std::string json_for_script(const nlohmann::ordered_json& value) {
  // Invalid UTF-8 is replaced rather than thrown on: the report is still written.
  const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Outside strings JSON never contains these characters, so escaping them is exact.
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
             (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string inline_script(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (std::size_t i = 0; i < code.size(); ++i) {
    // "<\/script" and "<\!--" mean the same inside JS strings and regular expressions,
    // the only places such text can legally occur in a script.
    if (code[i] == '<' && i + 1 < code.size()) {
      const std::string_view rest = code.substr(i + 1);
      if (rest.size() >= 7 && rest[0] == '/' && starts_with_ci(rest.substr(1), "script")) {
        out += "<\\";
        continue;
      }
      if (rest.substr(0, 3) == "!--") {
        out += "<\\";
        continue;
      }
    }
    out += code[i];
  }
  return out;
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace faultline::report
