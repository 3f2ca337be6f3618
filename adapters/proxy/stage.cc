#include "adapters/proxy/stage.h"

#include "adapters/proxy/connection.h"
#include "adapters/proxy/link.h"
#include "adapters/proxy/proxy.h"

namespace faultline::proxy {

namespace {
std::string random_name(Link& link, const ToxicConfig& config) {
  return "proxy/" + link.connection().proxy().name() + "/" + config.name + "/draws";
}
}  // namespace

Stage::Stage(StageContext& context)
    : link_(context.link()),
      config_(context.shared_config()),
      random_(link_.connection().runtime().seed(), random_name(link_, *config_)),
      timer_(link_.connection().runtime().io()) {}

void Stage::pass(Chunk chunk) {
  link_.deliver(index_ + 1, std::move(chunk));
}
void Stage::pass_eof() {
  link_.deliver_eof(index_ + 1);
}

void Stage::wake_at(TimePoint when) {
  timer_.expires_at(when);
  timer_.async_wait(
      [this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        on_timer();
      });
}

void Stage::cancel_wake() {
  timer_.cancel();
}

std::uint64_t Stage::draw_u64() {
  return random_.u64(link_.connection().id(), draws_++);
}
std::int64_t Stage::draw_int(std::int64_t lo, std::int64_t hi) {
  return to_int(draw_u64(), lo, hi);
}
double Stage::draw() {
  return random_.uniform01(link_.connection().id(), draws_++);
}

void Stage::close_connection() {
  link_.connection().close_gracefully(link_, index_);
}
void Stage::reset_connection() {
  link_.connection().reset();
}

void Stage::count_activation() {
  auto& entry = link_.connection().proxy().stats().activations[config_->name];
  entry.first = std::string(config_->kind->name);
  ++entry.second;
}

BlockPool& Stage::pool() {
  return link_.connection().runtime().pool();
}
HttpExchange& Stage::http() {
  return link_.connection().http();
}

void DelayStage::hold(Chunk chunk, TimePoint due) {
  if (due < last_due_) due = last_due_;  // FIFO: never overtake what is held
  last_due_ = due;
  const bool was_empty = held_.empty();
  held_.push_back({std::move(chunk), due});
  if (was_empty) {
    if (due <= now())
      release_due();
    else
      wake_at(due);
  }
}

void DelayStage::release_due() {
  const TimePoint t = now();
  while (!held_.empty() && held_.front().due <= t) {
    Chunk c = std::move(held_.front().chunk);
    held_.pop_front();
    pass(std::move(c));
  }
  if (!held_.empty())
    wake_at(held_.front().due);
  else
    release_held_eof();
}

void DelayStage::on_timer() {
  release_due();
}

void DelayStage::on_eof() {
  eof_after_held(!held_.empty());
}

void DelayStage::on_leave(bool) {
  cancel_wake();
  while (!held_.empty()) {
    Chunk c = std::move(held_.front().chunk);
    held_.pop_front();
    pass(std::move(c));
  }
  release_held_eof();
}

}  // namespace faultline::proxy
