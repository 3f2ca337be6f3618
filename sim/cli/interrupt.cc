#include "sim/cli/interrupt.h"

#include <pthread.h>

#include <csignal>

namespace faultline::cli {

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};
std::atomic<bool> g_deferring{false};

extern "C" void on_signal(int signal) {
  int none = 0;
  g_signal.compare_exchange_strong(none, signal);
  if (g_interrupted.exchange(true) && !g_deferring.load()) {
    std::signal(signal, SIG_DFL);  // the second one: stop now
    std::raise(signal);
  }
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

const std::atomic<bool>& interrupt_flag() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return true;
  }();
  (void)installed;
  return g_interrupted;
}

int interrupt_exit_code() {
  const int s = g_signal.load();
  return s == 0 ? 0 : 128 + s;
}

const char* interrupt_signal_name() {
  return g_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT";
}

DeferInterrupts::DeferInterrupts() {
  (void)interrupt_flag();
  g_deferring = true;
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

DeferInterrupts::~DeferInterrupts() {
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);  // a held signal is handled here
  g_deferring = false;
}

}  // namespace faultline::cli
