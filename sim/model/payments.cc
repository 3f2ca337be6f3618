#include "sim/model/payments.h"

#include <algorithm>
#include <cmath>

namespace faultline {

namespace {
// Sub-keys of the platform's draws (the journey passes the attempt in the low bits).
constexpr std::uint64_t kBackendDraw = 0x100000000ULL;
constexpr std::uint64_t kCacheAgeDraw = 0x200000000ULL;
constexpr std::uint64_t kRiskDraw = 0x300000000ULL;
constexpr std::uint64_t kRailDraw = 0x400000000ULL;
constexpr std::uint64_t kRailPick = 0x500000000ULL;
constexpr std::uint64_t kOutageDraw = 0x600000000ULL;
// 0x700000000: the per-borrower draw (Affected::kDraw).
}  // namespace

PaymentSystem::PaymentSystem(const Scenario& s, std::uint64_t run_seed, const Hooks& hooks)
    : spec_(s.payments), hooks_(hooks), luck_(run_seed, "payment/platform") {}

double PaymentSystem::capacity_per_s(SimTime t) const {
  const double base = spec_.backend_capacity_per_s;
  if (hooks_.any(Hook::kBackendCapacity)) [[unlikely]]
    return hooks_.emit_backend_capacity(t, base);
  return base;
}

CachePolicy PaymentSystem::cache_policy() const {
  return hooks_.any(Hook::kCachePolicy) ? hooks_.emit_cache_policy() : CachePolicy{};
}

double PaymentSystem::backend_failure(SimTime t) const {
  double load = spec_.backend_background_per_s;
  for (const LoadSurge& s : surges_)
    if (t >= s.start && t < s.end) load *= s.factor;
  const double capacity = capacity_per_s(t);
  const double shed = load > capacity ? 1.0 - capacity / load : 0.0;
  return spec_.backend_error_rate + (1.0 - spec_.backend_error_rate) * shed;
}

bool PaymentSystem::backend_fails(SimTime t, std::uint32_t borrower, std::uint64_t key) const {
  const double p = backend_failure(t);
  return p > 0 && luck_.bernoulli(p, borrower, key | kBackendDraw);
}

const CacheBug* PaymentSystem::cache_bug_for(SimTime t, std::uint32_t borrower) const {
  for (const CacheBug& b : cache_bugs_)
    if (t >= b.start && t < b.end && luck_.bernoulli(b.share, borrower, b.stream)) return &b;
  return nullptr;
}

SimTime PaymentSystem::view_time(SimTime t, std::uint32_t borrower, std::uint64_t key,
                                 SimTime frozen_from, bool own_write) const {
  SimTime v = t;
  if (spec_.sync_interval > 0) v = t / spec_.sync_interval * spec_.sync_interval;
  for (const SyncLag& l : sync_lags_)
    if (t >= l.start && t < l.end) v = std::min(v, t - l.lag);
  v = std::min(v, frozen_from);
  // The cache policy is asked only when it matters (an own write, a stale entry).
  if (own_write && cache_policy().own_writes_fresh) return v;
  if (const CacheBug* b = cache_bug_for(t, borrower)) {
    // The entry was filled at a uniform time within its (capped) life.
    const SimTime ttl = std::min(b->ttl, cache_policy().ttl_cap);
    v -= static_cast<SimTime>(luck_.uniform01(borrower, key | kCacheAgeDraw) *
                              static_cast<double>(ttl));
  }
  return v;
}

SimTime PaymentSystem::confirmation_time(SimTime posted, std::uint32_t borrower, std::uint64_t key,
                                         SimTime unsynced_end) const {
  SimTime t = posted;
  if (spec_.sync_interval > 0)
    t = (posted + spec_.sync_interval - 1) / spec_.sync_interval * spec_.sync_interval;
  t = std::max(t, unsynced_end == kTimeNever ? t : unsynced_end);
  // A lag window delays the copy by its lag, but never past the window's end.
  for (const SyncLag& l : sync_lags_)
    if (t >= l.start && t < l.end) t = std::min(t + l.lag, l.end);
  const bool fresh = hooks_.any(Hook::kCachePolicy) && hooks_.emit_cache_policy().own_writes_fresh;
  if (!fresh)
    if (const CacheBug* b = cache_bug_for(t, borrower))
      t += static_cast<SimTime>(luck_.uniform01(borrower, key | kCacheAgeDraw) *
                                static_cast<double>(b->ttl));
  return t;
}

bool PaymentSystem::link_valid(SimTime issued, SimTime t) const {
  SimTime ttl = spec_.link_ttl, skew = 0;
  for (const LinkExpiry& l : link_expiries_)
    if (t >= l.start && t < l.end) ttl = std::min(ttl, l.ttl), skew = std::max(skew, l.skew);
  return t + skew - issued <= ttl;
}

bool PaymentSystem::garbled(SimTime t, std::uint32_t borrower) const {
  for (const VersionBug& v : version_bugs_)
    if (t >= v.start && t < v.end && luck_.bernoulli(v.share, borrower, v.stream)) return true;
  return false;
}

bool PaymentSystem::risk_blocks(SimTime t, std::uint32_t borrower, std::uint64_t key) const {
  // A mis-tuned rule flags the same borrowers all through its window (a profile, not luck
  // per attempt), so retrying does not help; everyday false positives are per attempt.
  for (const RiskWindow& r : risk_windows_)
    if (t >= r.start && t < r.end && luck_.bernoulli(r.rate, borrower, r.stream)) return true;
  return spec_.risk_false_positive > 0 &&
         luck_.bernoulli(spec_.risk_false_positive, borrower, key | kRiskDraw);
}

int PaymentSystem::rail_of(std::uint32_t borrower) const {
  if (spec_.rails.size() == 1) return 0;
  const double u = luck_.uniform01(borrower, kRailPick);
  double acc = 0;
  for (std::size_t r = 0; r < spec_.rails.size(); ++r)
    if (u < (acc += spec_.rails[r].share)) return static_cast<int>(r);
  return static_cast<int>(spec_.rails.size()) - 1;
}

bool PaymentSystem::rail_fails(int rail, SimTime t, std::uint32_t borrower,
                               std::uint64_t key) const {
  const std::uint64_t k = key ^ (static_cast<std::uint64_t>(rail) << 40);
  const RailSpec& spec = spec_.rails[static_cast<std::size_t>(rail)];
  if (spec.decline_rate > 0 && luck_.bernoulli(spec.decline_rate, borrower, k | kRailDraw))
    return true;
  for (const GatewayOutage& g : gateway_outages_) {
    if (g.rail != rail || t < g.start || t >= g.end) continue;
    // per: borrower — the same cards all through the window (a draw without the attempt);
    // per: attempt draws exactly as before this option existed.
    if (!g.affected.hits(luck_, borrower)) continue;
    if (luck_.bernoulli(g.error_rate, borrower, (k | kOutageDraw) ^ g.stream)) return true;
  }
  return false;
}

const PostingOutage* PaymentSystem::posting_outage_at(SimTime t, bool unsynced) const {
  for (const PostingOutage& p : posting_outages_)
    if (p.unsynced == unsynced && t >= p.start && t < p.end) return &p;
  return nullptr;
}

}  // namespace faultline
