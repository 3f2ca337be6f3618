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
  // A draw whose outcome is certain is skipped: one due day, one carrier, one product, a
  // constant amount. The draws are keyed (no stream advances), so skipping one changes
  // no other value, and the outcome is the one the draw would give: uniform_int(d, d) is
  // d, a single carrier or product is index 0, and median * exp(0 * z) is the median.
  // Issue 21: three to five keyed draws, log, cos and exp per borrower of the reference.
  const bool one_day = s.population.due_day_min == s.population.due_day_max;
  const bool one_carrier = s.carriers.size() <= 1;
  const bool one_product = products.size() == 1;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto d = static_cast<std::uint16_t>(
        one_day ? s.population.due_day_min
                : due_draw.uniform_int(s.population.due_day_min, s.population.due_day_max, i));
    p.due_day[i] = d;
    ++count[d + 1];
    p.carrier[i] = one_carrier ? 0 : carrier_by_share(s.carriers, carrier_draw.uniform01(i));
    std::uint8_t k = 0;
    if (!one_product) {
      const double v = product_draw.uniform01(i, 0);
      double acc = 0;
      for (; k + 1u < products.size(); ++k) {
        acc += products[k].share;
        if (v < acc) break;
      }
    }
    p.product[i] = k;
    const ProductSpec& product = products[k];
    p.amount[i] =
        product.amount_sigma == 0
            ? static_cast<float>(product.amount_median)
            : product_draw.lognormal_float(product.amount_median, product.amount_sigma, i, 1);
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
