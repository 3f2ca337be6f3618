// The lender's payment platform as a borrower meets it: the app backend (capacity,
// overload), the app's view of the core's data (sync, cache), reminder payment links,
// one-time passwords, risk control, payment rails and core posting. Faults add windows
// here; mitigations that change how the platform answers subscribe to its hooks
// (kBackendCapacity, kCachePolicy: sim/model/hooks.h). Every question the journey asks ("does this
// attempt time out?", "how old is the data this screen shows?") is a pure function of the time, the
// borrower and keyed draws, so the platform costs no events of its own and the same borrower meets
// the same luck in every strategy. World (journey.cc) walks the steps. Defaults and sources:
// sim/scenario/scenario.h (PaymentsSpec) and docs/model.md.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/model/affected.h"
#include "sim/model/hooks.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct LoadSurge {  // load_surge: the app's traffic multiplied by `factor`
  SimTime start, end;
  double factor;
};

struct CacheBug {  // cache_bug: missed invalidation, entries live `ttl`
  SimTime start, end;
  SimTime ttl;
  double share;  // of borrowers whose screens are served from a stale entry
  std::uint64_t stream;
};

struct LinkExpiry {  // link_expiry: tokens validated with a shorter TTL and/or a skewed clock
  SimTime start, end;
  SimTime ttl;
  SimTime skew;
};

struct VersionBug {  // app_version_incompatibility
  SimTime start, end;
  double share;  // of app users on the version that garbles the repayment screen
  std::uint64_t stream;
};

struct GatewayOutage {  // gateway_outage
  int rail;             // index into PaymentsSpec::rails
  SimTime start, end;
  double error_rate;  // of the attempts it hits (per borrower: error_rate / affected_share)
  std::uint64_t stream;
  Affected affected;  // every card, or a persistent share of them (sim/model/affected.h)
};

struct RiskWindow {  // risk_false_positive: a mis-tuned rule flags a share of borrowers
  SimTime start, end;
  double rate;
  std::uint64_t stream;
};

struct SyncLag {  // data_sync_lag (app_lag): the app sees the core `lag` late
  SimTime start, end;
  SimTime lag;
};

// core_cutover with `posting`: down = payments cannot be posted (the attempt fails);
// unsynced = posted, but the app's copy stops at the window's start until it ends.
struct PostingOutage {
  SimTime start, end;
  bool unsynced;
};

class PaymentSystem {
 public:
  // `hooks` are the World's: the platform asks kBackendCapacity and kCachePolicy.
  PaymentSystem(const Scenario& s, std::uint64_t run_seed, const Hooks& hooks);

  // ---- faults ----
  void add_surge(const LoadSurge& s) { surges_.push_back(s); }
  void add_cache_bug(const CacheBug& b) { cache_bugs_.push_back(b); }
  void add_link_expiry(const LinkExpiry& l) { link_expiries_.push_back(l); }
  void add_version_bug(const VersionBug& v) { version_bugs_.push_back(v); }
  void add_gateway_outage(const GatewayOutage& g) { gateway_outages_.push_back(g); }
  void add_risk_window(const RiskWindow& r) { risk_windows_.push_back(r); }
  void add_sync_lag(const SyncLag& l) { sync_lags_.push_back(l); }
  void add_posting_outage(const PostingOutage& p) { posting_outages_.push_back(p); }

  const std::vector<LoadSurge>& surges() const { return surges_; }

  // ---- the journey's questions ----
  // Probability that a request at t fails: everyday errors plus the share of traffic an
  // overloaded backend cannot serve (1 - capacity / load).
  double backend_failure(SimTime t) const;
  bool backend_fails(SimTime t, std::uint32_t borrower, std::uint64_t key) const;
  double capacity_per_s(SimTime t) const;
  // The core time whose data the app shows borrower i at t (≤ t): sync period and lags,
  // and, inside a cache bug, the age of a stale entry. `frozen_from` is the start of a
  // cutover window that stopped the sync for this borrower (kTimeNever: none).
  // `own_write`: the screen right after the borrower's own payment, which cache
  // invalidation on write refreshes.
  SimTime view_time(SimTime t, std::uint32_t borrower, std::uint64_t key, SimTime frozen_from,
                    bool own_write) const;
  // The first time the app shows a payment posted at `posted` (see view_time).
  SimTime confirmation_time(SimTime posted, std::uint32_t borrower, std::uint64_t key,
                            SimTime unsynced_end) const;
  // A reminder link issued at `issued`, tapped at t: still valid?
  bool link_valid(SimTime issued, SimTime t) const;
  bool garbled(SimTime t, std::uint32_t borrower) const;
  bool risk_blocks(SimTime t, std::uint32_t borrower, std::uint64_t key) const;
  int rail_of(std::uint32_t borrower) const;
  // Whether rail r declines or errors on this attempt.
  bool rail_fails(int rail, SimTime t, std::uint32_t borrower, std::uint64_t key) const;
  // The core_cutover posting window of that kind covering t, if any (the World decides
  // which borrowers a staged cutover moved).
  const PostingOutage* posting_outage_at(SimTime t, bool unsynced) const;

 private:
  const CacheBug* cache_bug_for(SimTime t, std::uint32_t borrower) const;
  CachePolicy cache_policy() const;

  const PaymentsSpec& spec_;
  const Hooks& hooks_;
  KeyedRandom luck_;  // "payment/platform"
  std::vector<LoadSurge> surges_;
  std::vector<CacheBug> cache_bugs_;
  std::vector<LinkExpiry> link_expiries_;
  std::vector<VersionBug> version_bugs_;
  std::vector<GatewayOutage> gateway_outages_;
  std::vector<RiskWindow> risk_windows_;
  std::vector<SyncLag> sync_lags_;
  std::vector<PostingOutage> posting_outages_;
};

}  // namespace faultline
