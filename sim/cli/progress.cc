#include "sim/cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace faultline::cli {

namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string seconds_text(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  return buf;
}

}  // namespace

Progress::Progress(std::ostream& out, bool interactive) : out_(out), interactive_(interactive) {}

bool Progress::stderr_is_interactive() {
  const char* ci = std::getenv("CI");
  return ::isatty(STDERR_FILENO) == 1 && (ci == nullptr || *ci == '\0');
}

void Progress::update(std::size_t done, std::size_t planned) {
  const std::lock_guard lock(mutex_);
  if (planned != total_) {
    total_ = planned;
    next_tenth_ = total_ == 0 ? 1 : done_ * 10 / total_ + 1;
  }
  done_ = done;
  const auto now = Clock::now();
  if (interactive_) {
    if (!drawn_ || now - last_draw_ >= kRedrawInterval || done_ == total_) draw(now);
  } else if (total_ > 0 && done_ * 10 >= next_tenth_ * total_) {
    log_line(now);
    next_tenth_ = done_ * 10 / total_ + 1;
  }
}

void Progress::finish() {
  const std::lock_guard lock(mutex_);
  if (interactive_ && drawn_) {
    draw(Clock::now());
    out_ << "\n" << std::flush;
  }
}

void Progress::draw(Clock::time_point now) {
  constexpr int kWidth = 30;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  char line[160];
  const double left = rate > 0 ? static_cast<double>(total_ - std::min(done_, total_)) / rate : 0;
  std::snprintf(line, sizeof line, "\r[%s] %zu/%zu runs  %.1f runs/s  ETA %s\033[K", bar.c_str(),
                done_, total_, rate, rate > 0 ? seconds_text(left).c_str() : "?");
  out_ << line << std::flush;
  last_draw_ = now;
  drawn_ = true;
}

void Progress::log_line(Clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  const double left = rate > 0 ? static_cast<double>(total_ - std::min(done_, total_)) / rate : 0;
  char line[160];
  std::snprintf(line, sizeof line, "faultline: %zu/%zu runs (%d%%), %.1f runs/s, ETA %s\n", done_,
                total_, static_cast<int>(100 * done_ / total_), rate, seconds_text(left).c_str());
  out_ << line << std::flush;
}

}  // namespace faultline::cli
