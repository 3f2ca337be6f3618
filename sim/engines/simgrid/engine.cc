// One SimGrid run in a forked child; see engine.h. The child calls the SimGrid module
// (module.h, loaded here once, in the parent), which builds the engine, the platform and
// the transport and runs the same World as the native engine with the transport plugged
// in; the child writes the result to a pipe and leaves with _exit (no atexit handlers or
// destructors of the parent's state run twice). This file does not include or link SimGrid.
#include "sim/engines/simgrid/engine.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "sim/engines/simgrid/module.h"
#include "sim/engines/simgrid/wire.h"

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

// Where the module may be, in this order: $FAULTLINE_SIMGRID_MODULE (alone, when set);
// the installed layout, <prefix>/bin → <prefix>/<libdir>/faultline; beside the binary or
// library holding this code (the build tree's faultline, the Python package); the build
// tree's own path (the tests, which live in other folders).
std::vector<std::string> module_candidates() {
  if (const char* env = std::getenv("FAULTLINE_SIMGRID_MODULE"); env && *env) return {env};
  std::vector<std::string> out;
  // The object this code is in: the executable (its link map has no name; dladdr would
  // give argv[0], which need not be a path) or a shared object (the Python module).
  Dl_info info{};
  link_map* map = nullptr;
  if (::dladdr1(reinterpret_cast<void*>(&module_candidates), &info, reinterpret_cast<void**>(&map),
                RTLD_DL_LINKMAP) != 0) {
    const bool executable = map == nullptr || map->l_name == nullptr || map->l_name[0] == '\0';
    std::error_code ec;
    const std::filesystem::path self =
        std::filesystem::canonical(executable ? "/proc/self/exe" : map->l_name, ec);
    if (!ec) {
      const std::filesystem::path dir = self.parent_path();
      out.push_back((dir / FAULTLINE_SIMGRID_INSTALL_REL / simgrid_engine::kModuleFile)
                        .lexically_normal()
                        .string());
      out.push_back((dir / simgrid_engine::kModuleFile).string());
    }
  }
  out.push_back(FAULTLINE_SIMGRID_BUILD_MODULE);
  return out;
}

// dlopen()s the module once per process; throws ScenarioError (exit 2) naming the path
// and dlerror() when it cannot.
simgrid_engine::ChildEntry load_module() {
  static std::once_flag once;
  static simgrid_engine::ChildEntry entry = nullptr;
  static std::string error;
  std::call_once(once, [] {
    // The first candidate that exists; when none does, the first (the installed layout, or
    // $FAULTLINE_SIMGRID_MODULE) is the one the error names.
    const std::vector<std::string> candidates = module_candidates();
    std::string path = candidates.front();
    for (const std::string& c : candidates) {
      std::error_code ec;
      if (std::filesystem::exists(c, ec)) {
        path = c;
        break;
      }
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    const char* why = nullptr;
    if (handle) {
      entry = reinterpret_cast<simgrid_engine::ChildEntry>(
          ::dlsym(handle, simgrid_engine::kChildEntrySymbol));
      if (!entry) why = ::dlerror();
    } else {
      why = ::dlerror();
    }
    if (!entry) error = "cannot load " + path + ": " + (why ? why : "unknown error");
  });
  if (!entry) throw ScenarioError("engine simgrid", {}, error);
  return entry;
}

}  // namespace

SimgridRunOutput run_simgrid(const Scenario& s, const Population& population,
                             const StrategySpec& strategy, std::uint64_t run_seed, bool log) {
  const simgrid_engine::ChildEntry child = load_module();
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
    child(s, population, strategy, run_seed, log, bytes);
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
