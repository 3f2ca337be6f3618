// Peak resident memory of one stretch of code, for the "bytes per borrower" counters.
//
// Method (Linux): before the run, write "5" to /proc/self/clear_refs, which resets the
// process's high-water mark VmHWM to its current RSS (Linux >= 4.0); after the run, the
// peak delta is VmHWM(after) - VmRSS(before). This works for every iteration of a
// benchmark, not just the first. Where clear_refs cannot be written, it falls back to
// getrusage(RUSAGE_SELF).ru_maxrss, a lifetime peak that never goes down: then only the
// first run that sets a new process peak gives a meaningful delta (later ones read ~0),
// and `reset_ok` says so.
//
// Limits: RSS counts pages touched, at 4 KiB granularity, not bytes allocated; it
// includes what the allocator keeps cached and excludes what was never touched (a
// reserve()d but unused vector costs nothing). The kernel syncs per-thread RSS counters
// lazily (every 64 page faults), so figures are good to a few hundred KiB: use
// populations of 1e5 borrowers or more when dividing by borrowers.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace faultline::bench {

// A "VmXXX:   1234 kB" line of /proc/self/status, in bytes; -1 when absent.
inline std::int64_t proc_status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

class PeakRssProbe {
 public:
  // Call right before the measured code.
  void start() {
    std::ofstream clear("/proc/self/clear_refs");
    reset_ok_ = static_cast<bool>(clear << "5" << std::flush);
    base_bytes_ = proc_status_bytes("VmRSS");
    if (!reset_ok_ || base_bytes_ < 0) base_bytes_ = maxrss_bytes();
  }
  // Peak resident bytes above the start, after the measured code.
  std::int64_t peak_delta_bytes() const {
    const std::int64_t peak = reset_ok_ ? proc_status_bytes("VmHWM") : maxrss_bytes();
    return peak > base_bytes_ ? peak - base_bytes_ : 0;
  }
  bool reset_ok() const { return reset_ok_; }

 private:
  static std::int64_t maxrss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
  }
  std::int64_t base_bytes_ = 0;
  bool reset_ok_ = false;
};

}  // namespace faultline::bench
