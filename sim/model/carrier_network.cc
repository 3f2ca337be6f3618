#include "sim/model/carrier_network.h"

#include <cmath>

namespace faultline {

namespace {
constexpr std::uint64_t kOfflineDraw = 0x100000000ULL;
constexpr std::uint64_t kOfflineTime = 0x200000000ULL;
constexpr std::uint64_t kDrainDraw = 0x300000000ULL;
}  // namespace

CarrierNetwork::CarrierNetwork(const Scenario& s, std::uint64_t run_seed)
    : scenario_(s), handset_luck_(run_seed, "handset"), fault_luck_(run_seed, "carrier/faults") {
  for (const CarrierSpec& c : s.carriers) delay_luck_.emplace_back(run_seed, "carrier/" + c.name);
}

bool CarrierNetwork::suspended(std::uint32_t borrower, int carrier, SimTime t) const {
  for (const Suspension& s : suspensions_) {
    if (s.carrier >= 0 && s.carrier != carrier) continue;
    if (!fault_luck_.bernoulli(s.share, borrower, s.stream)) continue;
    const SimTime onset = s.start + round_to_time(fault_luck_.uniform01(borrower, s.stream + 1) *
                                                  static_cast<double>(s.end - s.start));
    if (t < onset) continue;
    if (s.reactivation_mean <= 0) return true;
    const SimTime back = fault_luck_.exponential_time(static_cast<double>(s.reactivation_mean),
                                                      borrower, s.stream + 2);
    if (t < onset + back) return true;
  }
  return false;
}

CarrierResult CarrierNetwork::carry(SimTime handed_at, SimTime expires_at, std::uint32_t borrower,
                                    int carrier, const VendorSpec& vendor, int vendor_index,
                                    std::uint64_t key) const {
  const CarrierSpec& spec = scenario_.carriers[static_cast<std::size_t>(carrier)];
  // A constant delay (sigma 0) is the median itself: median * exp(0 * z) == median for
  // every finite z, so skipping the two draws and log/cos/exp changes no result (issue 21:
  // ~90 instructions of the reference workload's ~480 per message).
  const double delay_s = spec.delay_sigma == 0
                             ? to_seconds(spec.delay_median)
                             : delay_luck_[static_cast<std::size_t>(carrier)].lognormal(
                                   to_seconds(spec.delay_median), spec.delay_sigma, borrower, key);
  SimTime t = handed_at + round_to_time(delay_s * kSecond);
  // Validity bounds the SMSC's retries, not the first attempt's transit.
  const SimTime give_up = std::max(expires_at, t);
  // A regional outage holds messages at the SMS centre; they go out as the network drains.
  for (const CarrierOutage& o : outages_) {
    if ((o.carrier >= 0 && o.carrier != carrier) || t < o.start || t >= o.end) continue;
    t = o.end + round_to_time(fault_luck_.uniform01(borrower, key | kDrainDraw) *
                              static_cast<double>(o.drain));
  }
  if (suspended(borrower, carrier, t)) return {CarrierFate::kUndeliverable, t};
  // Handset off or out of coverage: store and forward until it is back or validity ends.
  if (handset_luck_.bernoulli(vendor.first_attempt_failure, borrower, key | kOfflineDraw))
    t += handset_luck_.exponential_time(static_cast<double>(vendor.offline_mean), borrower,
                                        key | kOfflineTime);
  if (t > give_up) return {CarrierFate::kExpired, give_up};
  for (const SpamFilter& f : filters_) {
    if ((f.vendor >= 0 && f.vendor != vendor_index) || t < f.start || t >= f.end) continue;
    if (f.affected.hits(fault_luck_, borrower) &&
        fault_luck_.bernoulli(f.share, borrower, f.stream ^ key))
      return {CarrierFate::kFiltered, t};
  }
  return {CarrierFate::kDelivered, t};
}

}  // namespace faultline
