// libFuzzer target: the parsers of the quantities scenarios are written in
// (sim/scenario/units.h). They take any text and return a value or a message; they must
// never throw, crash or read out of bounds. A value they accept must be one the model can
// use (a duration or instant of at least 0, a probability in [0, 1]).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/scenario/units.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // libFuzzer reports the input that got here
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto d = parse_duration(text); d.ok()) require(d.value() >= 0);
  if (const auto t = parse_time_point(text); t.ok()) require(t.value() >= 0);
  if (const auto c = parse_clock(text); c.ok()) require(c.value() >= 0);
  if (const auto r = parse_rate_per_s(text); r.ok()) require(std::isfinite(r.value()));
  if (const auto p = parse_probability(text); p.ok()) require(p.value() >= 0 && p.value() <= 1);
  if (const auto n = parse_number(text); n.ok()) require(!std::isnan(n.value()));
  (void)parse_integer(text);
  (void)parse_boolean(text);
  return 0;
}
