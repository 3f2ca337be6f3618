// Progress of a long run on stderr, so a user knows it is alive and when it will end. On
// a terminal (and CI unset) a bar redrawn in place at most ~10 times a second: runs
// done/total, runs per second, time left. Otherwise — a log file, a CI job — one line per
// ~10 % so logs stay short. It only reads the count of finished runs and the wall clock;
// nothing it does reaches results.json, runs.jsonl or results.csv.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>

namespace faultline::cli {

class Progress {
 public:
  Progress(std::ostream& out, bool interactive);
  // A terminal on stderr and the CI variable unset or empty.
  static bool stderr_is_interactive();

  // Runs done and planned so far; the plan may grow between rounds of the replication
  // loop. Any thread (the pipeline never calls it from two at once).
  void update(std::size_t done, std::size_t planned);
  void finish();  // ends the bar's line

 private:
  using Clock = std::chrono::steady_clock;
  void draw(Clock::time_point now);  // with mutex_ held
  void log_line(Clock::time_point now);

  std::ostream& out_;
  bool interactive_;
  std::mutex mutex_;
  std::size_t done_ = 0;
  std::size_t total_ = 0;
  std::size_t next_tenth_ = 1;  // non-interactive: log when done reaches this tenth of total
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace faultline::cli
