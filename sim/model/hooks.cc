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

}  // namespace faultline
