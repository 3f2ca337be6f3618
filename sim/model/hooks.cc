#include "sim/model/hooks.h"

#include <algorithm>

namespace faultline {

void Hooks::subscribe(Hook hook, Subscriber* subscriber, int order) {
  auto& list = lists_[static_cast<std::size_t>(hook)];
  auto& orders = orders_[static_cast<std::size_t>(hook)];
  // After every subscriber of the same or a lower order: subscription order within an order.
  const auto at = std::upper_bound(orders.begin(), orders.end(), order) - orders.begin();
  list.insert(list.begin() + at, subscriber);
  orders.insert(orders.begin() + at, order);
}

void Hooks::emit_message_sent(std::uint32_t borrower, MessageKey key) const {
  for (Subscriber* s : (*this)[Hook::kMessageSent]) s->message_sent(borrower, key);
}

int Hooks::emit_sms_vendor(std::uint32_t borrower, MessageKey key, int routed) const {
  for (Subscriber* s : (*this)[Hook::kSmsVendor]) routed = s->sms_vendor(borrower, key, routed);
  return routed;
}

void Hooks::emit_sms_submitted(std::uint32_t borrower, MessageKey key) const {
  for (Subscriber* s : (*this)[Hook::kSmsSubmitted]) s->sms_submitted(borrower, key);
}

void Hooks::emit_payment_attempt(std::uint32_t borrower, bool repay) const {
  for (Subscriber* s : (*this)[Hook::kPaymentAttempt]) s->payment_attempt(borrower, repay);
}

void Hooks::emit_payment_failed(std::uint32_t borrower, PaymentFailure cause) const {
  for (Subscriber* s : (*this)[Hook::kPaymentFailed]) s->payment_failed(borrower, cause);
}

void Hooks::emit_payment_advice(SimTime t, PaymentAdvice& advice) const {
  for (Subscriber* s : (*this)[Hook::kPaymentAdvice]) s->payment_advice(t, advice);
}

double Hooks::emit_backend_capacity(SimTime t, double capacity_per_s) const {
  for (Subscriber* s : (*this)[Hook::kBackendCapacity])
    capacity_per_s = s->backend_capacity(t, capacity_per_s);
  return capacity_per_s;
}

CachePolicy Hooks::emit_cache_policy() const {
  CachePolicy policy;
  for (Subscriber* s : (*this)[Hook::kCachePolicy]) s->cache_policy(policy);
  return policy;
}

bool Hooks::emit_duplicate_charge(std::uint32_t borrower) const {
  bool refused = false;
  for (Subscriber* s : (*this)[Hook::kDuplicateCharge])
    refused = refused || s->duplicate_charge(borrower);
  return refused;
}

}  // namespace faultline
