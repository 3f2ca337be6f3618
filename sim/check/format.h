// Numbers as people read them, by unit, shared by the CLI verdict table, JUnit messages,
// GitHub annotations and the HTML report so a value reads the same everywhere: ratios as
// percentages ("4.92%", differences in percentage points), seconds as durations ("1.5 h"),
// counts with thousands separators ("12,005"), relative changes as signed percentages.
// Deterministic: plain snprintf in the C locale, which faultline never changes.
#pragma once

#include <string>
#include <string_view>

#include "sim/check/evaluate.h"

namespace faultline {

// `unit` is a metric unit from results.json ("ratio", "seconds", "messages", ...) or
// "relative" (a fraction of a baseline). NaN prints as "n/a".
std::string format_value(double v, std::string_view unit);
// The same with an explicit sign, for differences: "+0.12 pp", "-3.1 min", "+10.5%".
std::string format_difference(double v, std::string_view unit);
// "[0.45%, 0.52%]"; "n/a" when either end is missing.
std::string format_interval(double low, double high, std::string_view unit,
                            bool difference = false);

// "FAIL: missed_payment_rate = 0.61%, 95% CI [0.58%, 0.64%]; expected < 0.5%" — the one
// sentence for a verdict in JUnit, GitHub annotations and the terminal.
std::string describe_outcome(const Outcome& o, double confidence);
// "95%" for 0.95.
std::string format_confidence(double confidence);

}  // namespace faultline
