// A Stage is one toxic at work on one link (one direction of one connection): Toxiproxy's
// ToxicStub + Pipe, on an event loop instead of goroutines. The link chains its stages in
// the order the toxics were added; a chunk enters the first, and each stage passes it on
// (now, later, in pieces, or never) with pass(); what leaves the last stage is written to
// the peer. The end of the stream (the peer's FIN) travels the same way with pass_eof().
//
// Contract for a toxic's author (toxics/*.cc):
// - configure() receives the attributes, validated against the kind's specs: at the
//   start and at each update (PATCH/POST on the toxic). Keep what you need in members.
// - Keep data in order; hold what you delay in your own queue and ask for a wake-up with
//   wake_at(); on_timer() is then called on the loop (never after the stage is gone).
// - on_leave(removed): the toxic is deleted, or an update made it stop applying to this
//   link; pass on whatever you hold right away — Toxiproxy's rule: don't drop data on
//   the floor.
// - Every random decision comes from draw() (the run seed, the proxy, the toxic and the
//   connection number key it; docs/adapters.md), never from anywhere else.
// - Closing: close_connection() ends both directions the way a FIN does (what follows
//   this stage is flushed); reset_connection() is a TCP reset, now.
// - Stages run on the proxy's one event-loop thread: no locks.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>

#include "adapters/proxy/chunk.h"
#include "adapters/proxy/toxic.h"
#include "sim/random/stream.h"

namespace faultline::proxy {

class Link;
class HttpExchange;

// What a stage is told when it is made.
class StageContext {
 public:
  StageContext(Link& link, std::shared_ptr<const ToxicConfig> config)
      : link_(link), config_(std::move(config)) {}
  Link& link() const { return link_; }
  const ToxicConfig& config() const { return *config_; }
  const std::shared_ptr<const ToxicConfig>& shared_config() const { return config_; }

 private:
  Link& link_;
  std::shared_ptr<const ToxicConfig> config_;
};

class Stage {
 public:
  explicit Stage(StageContext& context);
  virtual ~Stage() = default;
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  virtual void configure(const Attributes& attributes) = 0;
  virtual void on_data(Chunk chunk) { pass(std::move(chunk)); }
  virtual void on_eof() { pass_eof(); }
  // `removed`: the toxic was deleted (else an update switched it off for this link).
  virtual void on_leave(bool removed) { (void)removed; }

  // --- used by the link ---
  const std::string& name() const { return config_->name; }
  const ToxicConfig& config() const { return *config_; }
  void set_config(std::shared_ptr<const ToxicConfig> config) { config_ = std::move(config); }
  void set_index(std::size_t index) { index_ = index; }
  bool active() const { return active_; }
  void set_active(bool active) { active_ = active; }

 protected:
  void pass(Chunk chunk);
  void pass_eof();
  // The end of the stream waits behind what the stage still holds: on_eof() calls
  // eof_after_held(holding), and the stage calls release_held_eof() once it is empty.
  void eof_after_held(bool holding) {
    if (holding)
      eof_held_ = true;
    else
      pass_eof();
  }
  void release_held_eof() {
    if (!eof_held_) return;
    eof_held_ = false;
    pass_eof();
  }
  void wake_at(TimePoint when);
  void cancel_wake();
  virtual void on_timer() {}
  TimePoint now() const { return Clock::now(); }
  // The next keyed draw for this toxic on this connection, uniform in [0, 1).
  double draw();
  std::uint64_t draw_u64();
  std::int64_t draw_int(std::int64_t lo, std::int64_t hi);  // in [lo, hi]
  void close_connection();
  void reset_connection();
  // Counts one application of the toxic in /metrics (a delayed chunk, a refused request).
  void count_activation();
  BlockPool& pool();
  HttpExchange& http();
  Stream stream() const { return config_->stream; }
  Link& link() { return link_; }

 private:
  Link& link_;
  std::shared_ptr<const ToxicConfig> config_;
  std::size_t index_ = 0;
  bool active_ = true;
  KeyedRandom random_;
  std::uint64_t draws_ = 0;
  bool eof_held_ = false;
  boost::asio::steady_timer timer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

// A FIFO of chunks, each due at a time, with the stage's one timer: the shape of every
// delaying toxic (latency, bandwidth, slicer, http_latency).
class DelayStage : public Stage {
 public:
  using Stage::Stage;
  void on_eof() override;
  void on_leave(bool removed) override;  // everything held goes now

 protected:
  void hold(Chunk chunk, TimePoint due);
  // The due time of the last chunk held (or of the last that left), for FIFO order.
  TimePoint last_due() const { return last_due_; }
  void on_timer() override;

 private:
  void release_due();
  struct Held {
    Chunk chunk;
    TimePoint due;
  };
  std::deque<Held> held_;
  TimePoint last_due_{};
};

}  // namespace faultline::proxy
