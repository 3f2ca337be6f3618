#include "sim/model/app_channels.h"

#include <cmath>

namespace faultline {

namespace {
// Keys of the per-borrower reachability draws.
enum ReachKey : std::uint64_t { kAppUser = 0, kPushOptIn = 1, kEmail = 2, kAutopay = 3 };
// Sub-keys of per-message draws.
constexpr std::uint64_t kDelay = 0x100000000ULL;
constexpr std::uint64_t kLost = 0x200000000ULL;
constexpr std::uint64_t kSeen = 0x300000000ULL;
constexpr std::uint64_t kSeenDelay = 0x400000000ULL;
}  // namespace

AppChannels::AppChannels(const Scenario& s, std::uint64_t run_seed)
    : scenario_(s),
      reach_(run_seed, "borrower/reachability"),
      push_luck_(run_seed, "channel/push"),
      email_luck_(run_seed, "channel/email"),
      in_app_luck_(run_seed, "channel/in_app") {}

bool AppChannels::app_user(std::uint32_t i) const {
  return reach_.bernoulli(scenario_.population.reachability.app_users, i, kAppUser);
}

bool AppChannels::has_email(std::uint32_t i) const {
  return reach_.bernoulli(scenario_.population.reachability.email, i, kEmail);
}

bool AppChannels::autopay(std::uint32_t i, double share) const {
  return reach_.bernoulli(share, i, kAutopay);
}

bool AppChannels::reachable(Channel channel, std::uint32_t i) const {
  const ReachabilitySpec& r = scenario_.population.reachability;
  switch (channel) {
    case Channel::sms:
      return true;  // every borrower has a phone number on file
    case Channel::push:
      return scenario_.push.enabled && app_user(i) &&
             reach_.bernoulli(r.push_opt_in, i, kPushOptIn);
    case Channel::email:
      return scenario_.email.enabled && has_email(i);
    case Channel::in_app:
      return scenario_.in_app.enabled && app_user(i);
  }
  return false;
}

ChannelResult AppChannels::send(Channel channel, SimTime now, std::uint32_t i,
                                std::uint64_t key) const {
  ChannelResult r;
  if (!reachable(channel, i)) return r;
  switch (channel) {
    case Channel::push: {
      const PushChannelSpec& p = scenario_.push;
      if (push_luck_.bernoulli(p.token_stale, i, key | kLost))
        return r;  // stale token: silently lost
      r.delivered = true;
      r.delivered_at = now + round_to_time(push_luck_.lognormal(static_cast<double>(p.delay_median),
                                                                p.delay_sigma, i, key | kDelay));
      r.seen = push_luck_.bernoulli(p.seen, i, key | kSeen);
      r.seen_at = r.delivered_at + push_luck_.exponential_time(
                                       static_cast<double>(p.seen_delay_mean), i, key | kSeenDelay);
      return r;
    }
    case Channel::email: {
      const EmailChannelSpec& e = scenario_.email;
      r.delivered = true;  // accepted by the mailbox provider, inbox or spam folder
      r.delivered_at =
          now + round_to_time(email_luck_.lognormal(30.0 * kSecond, 1.0, i, key | kDelay));
      r.seen = email_luck_.bernoulli(e.inbox_rate, i, key | kLost) &&
               email_luck_.bernoulli(e.open_rate, i, key | kSeen);
      r.seen_at = r.delivered_at + email_luck_.exponential_time(
                                       static_cast<double>(e.open_delay_mean), i, key | kSeenDelay);
      return r;
    }
    case Channel::in_app: {
      r.delivered = true;
      r.delivered_at = now;
      r.seen = true;  // at the next app open (a Poisson process of opens)
      r.seen_at = now + in_app_luck_.exponential_time(
                            static_cast<double>(kDay) / scenario_.in_app.opens_per_day, i,
                            key | kSeenDelay);
      return r;
    }
    case Channel::sms:
      break;
  }
  return r;
}

}  // namespace faultline
