// SIGINT/SIGTERM handling shared by the live adapters (`faultline proxy`, `faultline
// inject`, the SMS-vendor emulator). The contract the CLI documents: the first signal
// closes the listeners and lets work in flight drain, then the process exits with
// 128 + the signal number (130 for SIGINT, 143 for SIGTERM) — the shell convention, so a
// script can tell an interrupted run from a failed one. Draining is bounded: if the owner
// has not called done() within `drain_limit`, the io_context is stopped; a second signal
// stops it at once.
//
// Everything happens on the io_context's thread (asio::signal_set), so the callback may
// touch the adapter's state without locks. Install it before io_context::run().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

namespace faultline::adapters {

class SignalShutdown {
 public:
  // `begin_drain(signo)` runs once, at the first SIGINT or SIGTERM: close listeners there,
  // let connections finish, and call done() when nothing is left (or let the limit hit).
  SignalShutdown(boost::asio::io_context& io, std::function<void(int signo)> begin_drain,
                 std::chrono::milliseconds drain_limit = std::chrono::seconds(5));

  // Stops waiting for signals and for the drain limit, so io_context::run() can return.
  void done();
  // 0 when no signal came; otherwise 128 + the first signal's number.
  int exit_code() const { return signal_ == 0 ? 0 : 128 + signal_; }
  int signal_number() const { return signal_; }

 private:
  void wait();

  boost::asio::io_context& io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer limit_timer_;
  std::function<void(int)> begin_drain_;
  std::chrono::milliseconds drain_limit_;
  int signal_ = 0;
  bool done_ = false;
};

}  // namespace faultline::adapters
