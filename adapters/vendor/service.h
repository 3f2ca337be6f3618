// The emulator's HTTP face: Twilio's Messages API over the engine (engine.h), in scaled
// wall-clock time. A message's fate is decided when it is accepted; its status callbacks
// ("sent", then "delivered", "undelivered" or "failed") are POSTed, signed with
// X-Twilio-Signature, when the wall clock reaches their simulated times:
//   wall = wall_start + (sim − start) / time_scale.
// GET returns the status the vendor would report at that moment (the receipt's word, not
// the truth: a lost receipt leaves a delivered message "sent"); the ledger keeps both.
//
// Bounded under overload: messages whose callbacks are still to come are capped
// (max_pending); past the cap the API answers 429 (20429) with Retry-After — the time
// until the next callback frees a slot — and never queues more. Message resources kept
// for GET are capped too (max_retained, oldest forgotten first: then 20404). Callbacks to
// a URL that refuses or hangs are retried with a bounded back-off, at most
// max_in_flight_per_host at a time per host, so one bad receiver never holds up another.
// Callbacks go through one http::ClientPool per Service (keep-alive connections reused per
// receiver host:port, at most callback_pool.max_idle_per_host idle, closed after
// callback_pool.idle_timeout; see adapters/http/client.h), as real webhook senders do:
// hundreds of callbacks a second to one receiver use a few connections, not hundreds of
// connects a second. stop() closes the idle ones.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/http/client.h"
#include "adapters/http/router.h"
#include "adapters/vendor/engine.h"
#include "adapters/vendor/ledger.h"

namespace faultline::vendor {

struct ServiceOptions {
  double time_scale = 1;               // simulated seconds per wall-clock second
  SimTime start = 0;                   // simulated time when the service starts
  std::string auth_token;              // every account's
  std::size_t max_pending = 200'000;   // messages with callbacks still to come
  std::size_t max_retained = 100'000;  // message resources kept for GET
  std::size_t max_in_flight_per_host = 64;
  http::ClientOptions callback = default_callback_options();
  http::PoolOptions callback_pool;

  static http::ClientOptions default_callback_options() {
    http::ClientOptions o;
    o.timeout = std::chrono::milliseconds(5000);
    o.max_attempts = 4;  // the first try and 3 retries, 0.5 s, 1 s, 2 s apart
    o.backoff = std::chrono::milliseconds(500);
    o.max_backoff = std::chrono::milliseconds(4000);
    return o;
  }
};

struct ServiceStats {
  std::uint64_t accepted = 0, rejected = 0, throttled = 0, bad_requests = 0;
  std::uint64_t callbacks_ok = 0, callbacks_failed = 0, callbacks_unsent = 0;
  std::size_t pending = 0, retained = 0, peak_pending = 0;
  std::uint64_t callback_connections = 0;  // connections opened (or tried) for callbacks
};

class Service {
 public:
  Service(boost::asio::io_context& io, Engine& engine, Ledger& ledger, std::uint64_t run_seed,
          ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  http::Router router();
  // The simulated time now (from the steady clock).
  SimTime sim_now() const;
  // Stops scheduling callbacks; those not yet due are counted as unsent in the ledger.
  // Closes the idle callback connections; those of callbacks in flight close when they end.
  void stop();
  ServiceStats stats() const;
  std::size_t in_flight() const { return in_flight_; }

  // For tests and the CLI: the vendor index of an AccountSid or a vendor name; -1 if none.
  int vendor_of(std::string_view account) const;

 private:
  struct Message {
    std::string sid, to, from, body, callback;
    int vendor = 0;
    Fate fate;
    std::int64_t created_unix_ms = 0;
  };
  struct Due {  // a status callback to send at a wall time
    std::chrono::steady_clock::time_point at;
    std::uint64_t order;
    std::uint64_t message;  // sequence
    bool final;
    bool operator>(const Due& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  struct Job {
    std::uint64_t message;
    bool final;
    std::chrono::steady_clock::time_point due;
  };
  struct Host {
    std::deque<Job> waiting;
    std::size_t in_flight = 0;
  };

  http::Response create(const http::Request& r);
  http::Response fetch(const http::Request& r);
  http::Response account(const http::Request& r);
  http::Response clock(const http::Request& r);
  // The vendor of the URL's account after checking Basic auth; an error response otherwise.
  int authorise(const http::Request& r, http::Response& error) const;
  // `created`: the answer to the POST, always "queued" as Twilio's is.
  nlohmann::ordered_json resource(const Message& m, bool created = false) const;
  std::chrono::steady_clock::time_point wall_of(SimTime t) const;
  std::int64_t unix_ms_of(SimTime t) const;
  void schedule(std::uint64_t seq, const Message& m);
  void arm();
  void on_timer();
  void start_callback(const Job& job);
  void finish_callback(const Job& job, const std::string& host, const http::ClientResponse& r,
                       std::chrono::steady_clock::time_point started);
  void forget_old();

  boost::asio::io_context& io_;
  Engine& engine_;
  Ledger& ledger_;
  std::uint64_t run_seed_;
  ServiceOptions options_;
  std::vector<std::string> account_sids_;
  std::chrono::steady_clock::time_point wall_start_;
  std::int64_t unix_start_ms_;
  boost::asio::steady_timer timer_;
  http::ClientPool callback_pool_;
  bool armed_for_valid_ = false;
  std::chrono::steady_clock::time_point armed_for_{};
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  std::uint64_t due_order_ = 0;
  std::unordered_map<std::uint64_t, Message> messages_;
  std::unordered_map<std::string, std::uint64_t> by_sid_;
  std::deque<std::uint64_t> retained_order_;
  std::unordered_map<std::uint64_t, int> callbacks_left_;  // per message still to fire
  std::map<std::string, Host> hosts_;
  std::uint64_t sequence_ = 0;
  std::size_t in_flight_ = 0;
  bool stopped_ = false;
  ServiceStats stats_;
  // Throttled requests are summed into one ledger line per wall-clock second.
  std::int64_t throttle_second_ = -1;
  std::uint64_t throttle_count_ = 0;
};

}  // namespace faultline::vendor
