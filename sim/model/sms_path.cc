#include "sim/model/sms_path.h"

#include <stdexcept>
#include <string>

namespace faultline {

SmsVendor& SmsPath::vendor(std::string_view name) const {
  const int i = scenario.vendor_index(name);
  if (i < 0) throw std::invalid_argument("unknown vendor '" + std::string(name) + "'");
  return vendors[static_cast<std::size_t>(i)];
}

int vendor_index_or_all(const Scenario& scenario, std::string_view name) {
  return name == "*" ? -1 : scenario.vendor_index(name);
}

int carrier_index_or_all(const Scenario& scenario, std::string_view name) {
  if (name == "*") return -1;
  if (const int i = index_by_name(scenario.carriers, name); i >= 0) return i;
  throw std::invalid_argument("unknown carrier '" + std::string(name) + "'");
}

}  // namespace faultline
