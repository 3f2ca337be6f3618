// noop: passes everything through. Toxiproxy registers it too, so clients may add it.
#include "adapters/proxy/toxics/toxics.h"

namespace faultline::proxy {

namespace {
class Noop : public Stage {
 public:
  using Stage::Stage;
  void configure(const Attributes&) override {}
};
}  // namespace

ToxicKind noop_toxic() {
  return {"noop",
          "passes data through unchanged",
          "toxiproxy",
          {},
          [](StageContext& c) -> std::unique_ptr<Stage> { return std::make_unique<Noop>(c); }};
}

}  // namespace faultline::proxy
