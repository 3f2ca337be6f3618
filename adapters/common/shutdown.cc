#include "adapters/common/shutdown.h"

#include <csignal>

namespace faultline::adapters {

SignalShutdown::SignalShutdown(boost::asio::io_context& io, std::function<void(int)> begin_drain,
                               std::chrono::milliseconds drain_limit)
    : io_(io),
      signals_(io, SIGINT, SIGTERM),
      limit_timer_(io),
      begin_drain_(std::move(begin_drain)),
      drain_limit_(drain_limit) {
  wait();
}

void SignalShutdown::wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec || done_) return;  // cancelled by done()
    if (signal_ != 0) {       // a second signal while draining: stop now
      io_.stop();
      return;
    }
    signal_ = signo;
    limit_timer_.expires_after(drain_limit_);
    limit_timer_.async_wait([this](const boost::system::error_code& timer_ec) {
      if (!timer_ec && !done_) io_.stop();
    });
    wait();
    if (begin_drain_) begin_drain_(signo);
  });
}

void SignalShutdown::done() {
  if (done_) return;
  done_ = true;
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  limit_timer_.cancel();
}

}  // namespace faultline::adapters
