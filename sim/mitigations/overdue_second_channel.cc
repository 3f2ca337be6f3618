// overdue_second_channel: collections send each dunning reminder (reminders[].after_due)
// on a second channel too, `delay` after the first, to the borrowers reachable there who
// still owe. An SMS outage during grace then no longer silences dunning: the overdue
// reminder reaches the borrower on the other channel, and a seen overdue reminder prompts
// a share `overdue_reminder_cure` (times the channel's effect) of those who would not cure
// on their own (docs/model.md, "Overdue reminders and cure").
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class OverdueSecondChannel final : public Subscriber {
 public:
  OverdueSecondChannel(const ParamSet& p, World& world) : world_(world), delay_(p.time("delay")) {
    for (int c = 0; c < kChannelCount; ++c)
      if (kChannelNames[c] == p.text("channel")) channel_ = static_cast<Channel>(c);
    bool dunning = false;
    for (const ReminderRule& r : world.scenario().reminders) dunning = dunning || r.after_due();
    if (!dunning)
      throw std::invalid_argument(
          "needs a dunning reminder: add a rule with after_due under reminders");
    if (delay_ < 0) throw std::invalid_argument("delay must be 0 or more");
    later_ = world.add_borrower_handler("overdue_second_channel", on_later, this);
    world.hooks().subscribe(Hook::kMessageSent, this);
  }

  void message_sent(std::uint32_t borrower, MessageKey key) override {
    // Only the first send of a dunning reminder, on another channel than this one.
    if (key.attempt != 0 || key.channel == channel_ ||
        !world_.scenario().reminders[key.rule].after_due())
      return;
    if (!world_.channels().reachable(channel_, borrower)) return;
    if (delay_ == 0) {
      send(borrower, key);
    } else if (world_.now() + delay_ < world_.scenario().horizon) {
      world_.kernel().schedule_in(delay_, later_, borrower, key.packed());
    }
  }

 private:
  static void on_later(void* self, Kernel&, const Event& e) {
    auto& m = *static_cast<OverdueSecondChannel*>(self);
    if (!m.world_.settled(e.target)) m.send(e.target, MessageKey::unpack(e.arg));
  }
  void send(std::uint32_t borrower, MessageKey key) {
    world_.send(borrower, MessageKey{key.rule, 1, channel_});
  }

  World& world_;
  Channel channel_ = Channel::push;
  SimTime delay_;
  HandlerId later_ = 0;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<OverdueSecondChannel>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "overdue_second_channel",
      .summary = "send each dunning (after_due) reminder on a second channel too",
      .params = {{"channel", ParamKind::kChannel, "push",
                  "the second channel (declared under channels)"},
                 {"delay", ParamKind::kDuration, "0",
                  "after the first send; the borrowers who paid meanwhile are skipped"}},
      .effect = "each dunning reminder also goes out on `channel`, `delay` later, to the borrowers "
                "reachable there who still owe"},
     apply}};
}  // namespace

}  // namespace faultline
