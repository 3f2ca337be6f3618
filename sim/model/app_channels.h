// The non-SMS reminder channels: push, e-mail and the in-app inbox. Each is reachable for
// a borrower by independent keyed draws (has the app, opted in to push, has an e-mail
// address), and a message on it is delivered after a delay and *seen* with some
// probability after a further delay — what matters for behaviour is seeing, not delivery.
// Defaults and their sources: sim/scenario/scenario.h and docs/model.md.
#pragma once

#include <cstdint>

#include "sim/kernel/time.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct ChannelResult {
  bool delivered = false;
  SimTime delivered_at = 0;
  bool seen = false;
  SimTime seen_at = 0;
};

class AppChannels {
 public:
  AppChannels(const Scenario& s, std::uint64_t run_seed);

  bool app_user(std::uint32_t borrower) const;
  bool has_email(
      std::uint32_t borrower) const;  // an address on file, whether or not e-mail reminders are on
  bool reachable(Channel channel, std::uint32_t borrower) const;
  bool autopay(std::uint32_t borrower, double share) const;
  // A push, e-mail or in-app message sent at `now` (not SMS: that goes through vendors).
  ChannelResult send(Channel channel, SimTime now, std::uint32_t borrower, std::uint64_t key) const;

 private:
  const Scenario& scenario_;
  KeyedRandom reach_;
  KeyedRandom push_luck_;
  KeyedRandom email_luck_;
  KeyedRandom in_app_luck_;
};

}  // namespace faultline
