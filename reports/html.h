// Escaping for everything the report writes, in the three contexts it writes into.
// Every string that comes from a scenario (names, descriptions, strategy and vendor
// names, the scenario text) passes through one of these: a scenario named
// `<script>alert(1)</script>` must render as text, never run.
//   - HTML text and attribute values: escape_html (& < > " ').
//   - JSON inside <script type="application/json">: json_for_script, which also encodes
//     < > & and U+2028/2029 as \u escapes, so no "</script" or "<!--" can appear.
//   - Vendored JavaScript inlined in <script>: inline_script, which defuses "</script"
//     and "<!--" (the vendoring already rejects bundles containing them; this is the
//     second line of defence).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace faultline::report {

std::string escape_html(std::string_view text);
std::string json_for_script(const nlohmann::ordered_json& value);
std::string inline_script(std::string_view code);
// A number for SVG coordinates: fixed one decimal, so output is byte-stable.
std::string px(double v);

}  // namespace faultline::report
