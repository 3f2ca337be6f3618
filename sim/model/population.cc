#include "sim/model/population.h"

#include "sim/random/stream.h"

namespace faultline {

std::uint8_t carrier_by_share(const std::vector<CarrierSpec>& carriers, double u) {
  double acc = 0;
  std::uint8_t c = 0;
  for (; c + 1u < carriers.size(); ++c) {
    acc += carriers[c].share;
    if (u < acc) break;
  }
  return c;
}

Population Population::generate(const Scenario& s, std::uint64_t run_seed) {
  const std::uint32_t n = s.population.borrowers;
  const KeyedRandom due_draw(run_seed, "population/due_day");
  const KeyedRandom carrier_draw(run_seed, "population/carrier");
  const KeyedRandom product_draw(run_seed, "population/product");
  const std::vector<ProductSpec> products = s.population.products.empty()
                                                ? std::vector<ProductSpec>{ProductSpec{"loan"}}
                                                : s.population.products;
  Population p;
  p.due_day.resize(n);
  p.carrier.resize(n);
  p.product.resize(n);
  p.amount.resize(n);
  const auto days = static_cast<std::uint32_t>(s.population.due_day_max + 1);
  std::vector<std::uint32_t> count(days + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto d = static_cast<std::uint16_t>(
        due_draw.uniform_int(s.population.due_day_min, s.population.due_day_max, i));
    p.due_day[i] = d;
    ++count[d + 1];
    p.carrier[i] = carrier_by_share(s.carriers, carrier_draw.uniform01(i));
    const double v = product_draw.uniform01(i, 0);
    double acc = 0;
    std::uint8_t k = 0;
    for (; k + 1u < products.size(); ++k) {
      acc += products[k].share;
      if (v < acc) break;
    }
    p.product[i] = k;
    p.amount[i] = static_cast<float>(
        product_draw.lognormal(products[k].amount_median, products[k].amount_sigma, i, 1));
  }
  for (std::uint32_t d = 1; d <= days; ++d) count[d] += count[d - 1];
  p.day_start = count;
  p.by_due_day.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) p.by_due_day[count[p.due_day[i]]++] = i;
  return p;
}

std::size_t Population::bytes() const {
  return due_day.capacity() * sizeof(std::uint16_t) + carrier.capacity() + product.capacity() +
         amount.capacity() * sizeof(float) + by_due_day.capacity() * sizeof(std::uint32_t) +
         day_start.capacity() * sizeof(std::uint32_t);
}

}  // namespace faultline
