// One SimGrid run in a forked child; see engine.h. The child builds the engine, the
// platform and the transport, runs the same World as the native engine with the
// transport plugged in, writes its result to a pipe and leaves with _exit (no atexit
// handlers or destructors of the parent's state run twice).
#include "sim/engines/simgrid/engine.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/engines/simgrid/platform.h"
#include "sim/engines/simgrid/transport.h"
#include "sim/engines/simgrid/wire.h"
#include "sim/plugins/plugins.h"

namespace faultline {

namespace {

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone; nothing more to do
    done += static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// The child's work, in the fresh process.
SimgridRunOutput simulate(const Scenario& s, const Population& population,
                          const StrategySpec& strategy, std::uint64_t run_seed, bool log) {
  // Before the engine exists, so even its configuration messages stay quiet.
  if (!log) xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "faultline";
  char* argv[] = {name, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);
  World world(s, population, run_seed);
  world.configure(strategy);
  const NetworkPlan plan = plan_network(strategy, world.schedule());
  simgrid_engine::Platform platform(engine, s, plan);
  simgrid_engine::SimgridTransport transport(engine, platform, world.kernel());
  world.set_transport(&transport);
  SimgridRunOutput out;
  out.run = world.run();
  out.network_lost = world.network_lost();
  out.comms = transport.comms_started();
  out.lost_at_start = transport.lost_at_start();
  out.late_starts = transport.late_starts();
  if (log)
    std::fprintf(stderr,
                 "simgrid: strategy %s, run seed %llu: %llu transfers, %u lost by the network "
                 "(%llu at start), %llu late starts\n",
                 strategy.name.c_str(), static_cast<unsigned long long>(run_seed),
                 static_cast<unsigned long long>(out.comms), out.network_lost,
                 static_cast<unsigned long long>(out.lost_at_start),
                 static_cast<unsigned long long>(out.late_starts));
  return out;
}

}  // namespace

SimgridRunOutput run_simgrid(const Scenario& s, const Population& population,
                             const StrategySpec& strategy, std::uint64_t run_seed, bool log) {
  using simgrid_engine::WireStatus;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("SimGrid engine: pipe: ") + std::strerror(errno));
  // Whatever sits in the parent's buffers would otherwise be written twice.
  std::fflush(nullptr);
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("SimGrid engine: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Ctrl-C ends the child at once; the parent sees the cancellation and stops.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::close(fds[0]);
    std::string bytes;
    try {
      bytes = simgrid_engine::encode_output(simulate(s, population, strategy, run_seed, log));
    } catch (const ScenarioError& e) {
      bytes =
          simgrid_engine::encode_error(WireStatus::kScenarioError, e.message(), e.file(), e.loc());
    } catch (const RunLimitError& e) {
      bytes = simgrid_engine::encode_error(WireStatus::kRunLimit, e.what());
    } catch (const std::exception& e) {
      bytes = simgrid_engine::encode_error(WireStatus::kInternal, e.what());
    } catch (...) {
      bytes = simgrid_engine::encode_error(WireStatus::kInternal,
                                           "unknown exception in the SimGrid engine");
    }
    write_all(fds[1], bytes);
    std::fflush(stderr);
    ::_exit(0);
  }
  ::close(fds[1]);
  const std::string bytes = read_all(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (bytes.empty()) {
    const std::string how = WIFSIGNALED(status)
                                ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                : "exited with code " + std::to_string(WEXITSTATUS(status));
    throw std::runtime_error("the SimGrid engine's child process " + how +
                             " in the run of strategy '" + strategy.name + "' with run seed " +
                             std::to_string(run_seed) +
                             "; rerun with --verbose to see SimGrid's messages");
  }
  return simgrid_engine::decode(bytes, s);
}

}  // namespace faultline
