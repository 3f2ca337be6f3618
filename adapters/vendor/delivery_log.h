// Delivery logs, as `faultline fit` reads them (docs/adapters.md, "Delivery logs"):
// - faultline's own format, CSV (with a header line) or JSONL, one message per row:
//   message_id, vendor, carrier, submitted, sent, delivered, status, error_code, and
//   optionally updated (when the final status was known) and receipt (when the delivery
//   receipt reached the sender). The emulator's ledger is such a JSONL file;
// - Twilio's message logs: the console's CSV export (Sid, AccountSid, Status, SentDate,
//   ErrorCode, Direction, ...) and the API's message resources as CSV or JSONL (sid,
//   account_sid, status, date_created, date_sent, date_updated, error_code, direction).
//   They carry no handset delivery time: a delivered message's `date_updated` (the receipt)
//   stands in for it, so delays fitted from them include the receipt delay.
// Times are seconds (any origin), ISO 8601 or RFC 2822 dates. Column names match
// case-insensitively, ignoring '_' and spaces. A row that cannot be used is reported with
// its line number and skipped — never silently.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace faultline::vendor {

inline constexpr double kNoTime = std::numeric_limits<double>::quiet_NaN();

struct DeliveryRecord {
  std::size_t line = 0;
  std::string message_id;
  std::string vendor;   // "" when the log has no vendor column
  std::string carrier;  // "" when unknown
  double submitted = kNoTime;
  double sent = kNoTime;
  double delivered = kNoTime;
  double updated = kNoTime;
  double receipt = kNoTime;
  std::string status;  // queued, sent, delivered, undelivered, failed
  int error_code = 0;
};

struct BadRow {
  std::size_t line;
  std::string why;
};

struct DeliveryLog {
  std::string path;
  std::string format;  // "faultline-csv", "faultline-jsonl", "twilio-csv", "twilio-jsonl"
  std::vector<DeliveryRecord> records;
  std::vector<BadRow> bad_rows;
  std::size_t other_rows = 0;  // not outbound messages (inbound, ledger callbacks...)
};

// Throws std::runtime_error("PATH: reason") when the file cannot be read or has no
// usable header; bad rows are collected, not thrown.
DeliveryLog read_delivery_log(const std::string& path);
// Seconds since the Unix epoch of an ISO 8601 or RFC 2822 date, or a plain number of
// seconds; NaN when `text` is none of these.
double parse_time(const std::string& text);

}  // namespace faultline::vendor
