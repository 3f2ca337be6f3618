// Escaping text for markup. One function serves the HTML report and the JUnit XML: both
// need & < > " ' escaped, and XML 1.0 also forbids control characters other than tab,
// newline and carriage return (replaced with U+FFFD, which HTML accepts too).
#pragma once

#include <string>
#include <string_view>

namespace faultline {

std::string escape_markup(std::string_view text);

}  // namespace faultline
