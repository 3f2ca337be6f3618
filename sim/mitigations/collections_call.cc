// collections_call: agents phone the borrowers still unpaid `after_due` into grace, oldest
// due date first, within the day's calling capacity (agent_hours × calls_per_agent_hour
// calls a day, placed evenly from `start` over `hours`). A call reaches the borrower
// (right-party contact) with probability `contact_rate`; a reached borrower who would not
// cure on her own pays within grace with probability `cure`, after the usual delay
// (behaviour.pay_delay_mean). Each borrower is called at most once an instalment. With a
// capacity of 0 it does nothing at all: the run is the run without it. Counted:
// collections_calls (placed) and collections_contacts (reached). docs/model.md,
// "Overdue reminders and cure (dunning)".
#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
// Keys of the call's draws in the borrower's behaviour stream (World::prompt_overdue):
// far above behaviour.cc's own keys.
constexpr std::uint64_t kCallKey = 0x63616c6c00ULL;  // "call"

class CollectionsCall final : public Subscriber {
 public:
  CollectionsCall(const ParamSet& p, World& world)
      : world_(world),
        after_due_(p.time("after_due")),
        start_(p.time("start")),
        hours_(p.time("hours")),
        contact_rate_(p.number("contact_rate")),
        cure_(p.number("cure")) {
    const double capacity = p.number("agent_hours") * p.number("calls_per_agent_hour");
    if (p.number("agent_hours") < 0) throw std::invalid_argument("agent_hours must be 0 or more");
    if (p.number("calls_per_agent_hour") < 0)
      throw std::invalid_argument("calls_per_agent_hour must be 0 or more");
    if (capacity > 1e8) throw std::invalid_argument("more than 10^8 calls a day");
    if (start_ < 0 || start_ >= kDay) throw std::invalid_argument("start must be a time of day");
    if (hours_ <= 0 || start_ + hours_ > kDay)
      throw std::invalid_argument("hours must be more than 0 and end within the day");
    if (after_due_ < 0 || after_due_ >= world.scenario().population.grace)
      throw std::invalid_argument("after_due must fall within population.grace");
    calls_per_day_ = static_cast<std::uint32_t>(std::floor(capacity));
    if (calls_per_day_ == 0) return;  // no capacity: exactly the run without calls
    const Population& pop = world.population();
    cursor_.assign(pop.day_start.begin(), pop.day_start.end() - 1);
    day_ = world.kernel().add_handler("collections_call_day", on_day, this);
    call_ = world.add_borrower_handler("collections_call", on_call, this);
    world.keep_open_in_grace();
    world.kernel().schedule_at(start_, day_, 0, 0);
  }

 private:
  // The day's calls: the open borrowers past after_due, by due date (oldest first) and
  // due-list order, up to the day's capacity.
  static void on_day(void* self, Kernel& k, const Event& e) {
    auto& m = *static_cast<CollectionsCall*>(self);
    const SimTime now = k.now();
    const Population& pop = m.world_.population();
    const SimTime grace =
        m.world_.scenario().population.grace + m.world_.lender().grace_period_extra;
    const std::uint32_t days = static_cast<std::uint32_t>(m.cursor_.size());
    std::uint32_t placed = 0;
    const SimTime gap = m.hours_ / static_cast<SimTime>(m.calls_per_day_);
    for (std::uint32_t d = 0; d < days && placed < m.calls_per_day_; ++d) {
      const SimTime deadline = (static_cast<SimTime>(d) + 1) * kDay;
      if (now < deadline + m.after_due_) break;  // later due days are not yet due a call
      if (now >= deadline + grace) continue;     // past grace: missed already
      std::uint32_t& j = m.cursor_[d];
      for (; j < pop.day_start[d + 1] && placed < m.calls_per_day_; ++j) {
        const std::uint32_t i = pop.by_due_day[j];
        if (!m.world_.open_in_grace(i)) continue;
        k.schedule_at(now + static_cast<SimTime>(placed) * gap, m.call_, i, 0);
        ++placed;
      }
    }
    if (now + kDay < m.world_.scenario().horizon) k.schedule_at(now + kDay, m.day_, e.target, 0);
  }

  static void on_call(void* self, Kernel&, const Event& e) {
    auto& m = *static_cast<CollectionsCall*>(self);
    // One uniform per borrower: reached with contact_rate, then prompted with cure (so the
    // cured are a subset of the reached). A call placed to someone who paid since the
    // list was drawn still counts: the agent's time was spent.
    Counters& c = m.world_.counters();
    ++c.collections_calls;
    if (m.world_.overdue_draw_below(e.target, m.contact_rate_, kCallKey)) ++c.collections_contacts;
    m.world_.prompt_overdue(e.target, m.contact_rate_ * m.cure_, kCallKey);
  }

  World& world_;
  SimTime after_due_, start_, hours_;
  double contact_rate_, cure_;
  std::uint32_t calls_per_day_ = 0;
  std::vector<std::uint32_t> cursor_;  // per due day: the next borrower in due-list order
  HandlerId day_ = 0, call_ = 0;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<CollectionsCall>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "collections_call",
      .summary = "agents phone borrowers still unpaid during grace, within a daily capacity",
      .params = {{"agent_hours", ParamKind::kNumber, "8",
                  "agent-hours of calling a day (0: no calls, the run is the run without it)"},
                 {"calls_per_agent_hour", ParamKind::kNumber, "12",
                  "calls an agent places an hour (Duff 2014: 100-120 manual dials a day)"},
                 {"start", ParamKind::kDuration, "9h", "time of day the calls start"},
                 {"hours", ParamKind::kDuration, "8h", "the calling day: calls are spread over it"},
                 {"after_due", ParamKind::kDuration, "3d",
                  "a borrower is called from this long after the due date, within grace"},
                 {"contact_rate", ParamKind::kProbability, "25%",
                  "calls that reach the borrower (right-party contact; Duff 2014: 20-30 %)"},
                 {"cure", ParamKind::kProbability, "20%",
                  "of the reached who would not cure on their own, the share who pay within "
                  "grace (assumption)"}},
      .effect = "each day, up to agent_hours × calls_per_agent_hour of the borrowers unpaid "
                "`after_due` into grace are called, oldest due date first; a reached borrower "
                "pays within grace with probability `cure`"},
     apply}};
}  // namespace

}  // namespace faultline
