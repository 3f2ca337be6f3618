// multi_channel: when an SMS reminder brings no delivery receipt within `after`, send it
// on the next reachable channel of the chain (push, e-mail, in-app) — or, with
// `parallel`, on all of them at once (more reach, more messages, duplicates).
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class MultiChannel final : public Subscriber {
 public:
  MultiChannel(const ParamSet& p, World& world)
      : world_(world), after_(p.time("after")), parallel_(p.flag("parallel")) {
    for (const std::string& name : split_list(p.text("fallback")))
      for (int ch = 0; ch < kChannelCount; ++ch)
        if (kChannelNames[ch] == name) chain_.push_back(static_cast<Channel>(ch));
    if (chain_.empty()) return;
    world.track_receipts();
    check_ = world.add_borrower_handler("fallback_check", on_check, this);
    world.hooks().subscribe(Hook::kMessageSent, this);
  }

  void message_sent(std::uint32_t borrower, MessageKey key) override {
    if (parallel_) {
      if (key.attempt != 0) return;
      for (const Channel c : chain_) {
        if (c == key.channel || !world_.channels().reachable(c, borrower)) continue;
        world_.send(borrower, MessageKey{key.rule, 1, c});
      }
    } else if (key.attempt < chain_.size() && world_.now() + after_ < world_.scenario().horizon) {
      world_.kernel().schedule_in(after_, check_, borrower, key.packed());
    }
  }

 private:
  // No receipt by now: the next reachable channel in the chain.
  static void on_check(void* self, Kernel&, const Event& e) {
    auto& m = *static_cast<MultiChannel*>(self);
    const std::uint32_t i = e.target;
    const MessageKey key = MessageKey::unpack(e.arg);
    if (m.world_.receipt_seen(i, key.rule) || m.world_.settled(i)) return;
    for (std::size_t n = key.attempt; n < m.chain_.size(); ++n) {
      const Channel c = m.chain_[n];
      if (c == key.channel || !m.world_.channels().reachable(c, i)) continue;
      m.world_.send(i, MessageKey{key.rule, static_cast<std::uint8_t>(n + 1), c});
      return;
    }
  }

  World& world_;
  std::vector<Channel> chain_;
  SimTime after_;
  bool parallel_;
  HandlerId check_ = 0;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<MultiChannel>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "multi_channel",
      .summary = "fall back to other channels when a reminder is not confirmed delivered",
      .params = {{"fallback", ParamKind::kChannelList, "",
                  "channels to try in order, e.g. [push, email]"},
                 {"after", ParamKind::kDuration, "2h",
                  "wait this long for a delivery receipt before the next channel"},
                 {"parallel", ParamKind::kBoolean, "false",
                  "send on every channel at once instead"}},
      .effect = "no receipt within `after` → next reachable channel of `fallback`; or `parallel`"},
     apply}};
}  // namespace

}  // namespace faultline
