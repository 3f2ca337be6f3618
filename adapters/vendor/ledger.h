// The emulator's ledger: one JSON object per line (JSONL) for every message, rejection,
// throttling and status callback, with ids, simulated and wall-clock times, statuses and
// the fault window each message fell in (docs/adapters.md lists the fields). Each line is
// written with one write(2) straight to the file — no user-space buffer — so a killed
// emulator loses at most the line being written, and a reader (`faultline compare`,
// `faultline fit`) can read the file while the emulator is still running.
//
// Message lines use the delivery-log field names (message_id, vendor, carrier, submitted,
// sent, delivered, status, error_code; times in simulated seconds), so `faultline fit`
// reads a ledger as a delivery log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace faultline::vendor {

class Ledger {
 public:
  Ledger() = default;  // no file: every write is a no-op
  // Creates (truncates) `path`; throws std::runtime_error naming the path and the reason.
  explicit Ledger(const std::string& path);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  Ledger(Ledger&& o) noexcept { *this = std::move(o); }
  Ledger& operator=(Ledger&& o) noexcept;

  bool enabled() const { return fd_ >= 0; }
  void write(const nlohmann::ordered_json& line);
  std::size_t lines() const { return lines_; }

 private:
  int fd_ = -1;
  std::string path_;
  std::size_t lines_ = 0;
  std::string buffer_;
};

}  // namespace faultline::vendor
