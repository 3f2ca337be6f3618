// The SMS path a fault can break — the scenario's vendors and the carrier network — as
// both the simulator's World and the live SMS-vendor emulator (adapters/vendor) hold it.
// A fault plug-in that breaks only this path says once, in its own file, what it does to
// it (FaultPlugin::apply_sms), and the emulator applies the very same plug-in to its own
// vendors and carriers: one mapping from a fault's parameters to model windows.
#pragma once

#include <span>
#include <string_view>

#include "sim/model/carrier_network.h"
#include "sim/model/sms_vendor.h"
#include "sim/scenario/scenario.h"

namespace faultline {

// A vendor or carrier named by a fault's `target`: "*" (all) → -1. An unknown carrier
// throws std::invalid_argument (an unknown vendor gives -1, as Scenario::vendor_index).
int vendor_index_or_all(const Scenario& scenario, std::string_view name);
int carrier_index_or_all(const Scenario& scenario, std::string_view name);

struct SmsPath {
  const Scenario& scenario;
  std::span<SmsVendor> vendors;  // in the scenario's order
  CarrierNetwork& carriers;

  SmsVendor& vendor(std::string_view name) const;  // throws std::invalid_argument when unknown
  int vendor_index(std::string_view name) const { return vendor_index_or_all(scenario, name); }
  int carrier_index(std::string_view name) const { return carrier_index_or_all(scenario, name); }
};

}  // namespace faultline
