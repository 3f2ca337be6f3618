// Message records in the delivery-log format (delivery_log.h) — the ledger's message lines
// and the logs `faultline fit --simulate` makes — and that simulated traffic itself:
// Poisson arrivals sent through the emulator's engine (the simulator's vendor and carrier
// model) with no sockets, in simulated time. It is how a log with known parameters is
// made to test the fit, and how a user checks what `fit` can recover from a log of a
// given size before collecting one.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/vendor/engine.h"

namespace faultline::vendor {

// The delivery-log fields of an accepted message (times in simulated seconds).
nlohmann::ordered_json message_record(const Scenario& scenario, int vendor, const std::string& sid,
                                      const std::string& to, const Fate& fate);

struct TrafficOptions {
  std::size_t messages = 10000;
  double rate_per_s = 0;   // Poisson arrival rate over all vendors; 0 = half their capacity
  SimTime start = 0;       // simulated time of the first arrival
  std::uint64_t seed = 1;  // the run seed (model draws) and the traffic's streams
};

// Writes the log atomically (JSONL). Throws std::runtime_error naming the path.
void write_simulated_log(const Scenario& scenario, const TrafficOptions& options,
                         const std::string& path);

}  // namespace faultline::vendor
