#include "adapters/vendor/delivery_log.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace faultline::vendor {

namespace {

enum class Field {
  message_id,
  vendor,
  carrier,
  submitted,
  sent,
  delivered,
  updated,
  receipt,
  status,
  error_code,
  direction
};

// Normalised column name → field: lower case, without '_' and ' '.
const std::map<std::string, Field>& columns() {
  static const std::map<std::string, Field> m = {{"messageid", Field::message_id},
                                                 {"sid", Field::message_id},
                                                 {"messagesid", Field::message_id},
                                                 {"vendor", Field::vendor},
                                                 {"accountsid", Field::vendor},
                                                 {"carrier", Field::carrier},
                                                 {"submitted", Field::submitted},
                                                 {"datecreated", Field::submitted},
                                                 {"sent", Field::sent},
                                                 {"datesent", Field::sent},
                                                 {"sentdate", Field::sent},
                                                 {"delivered", Field::delivered},
                                                 {"updated", Field::updated},
                                                 {"dateupdated", Field::updated},
                                                 {"receipt", Field::receipt},
                                                 {"status", Field::status},
                                                 {"errorcode", Field::error_code},
                                                 {"direction", Field::direction}};
  return m;
}

std::string normalise(std::string_view name) {
  std::string out;
  for (const char c : name)
    if (c != '_' && c != ' ' && c != '\r' && c != '"')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string s) {
  const auto ws = [](unsigned char c) { return std::isspace(c); };
  while (!s.empty() && ws(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && ws(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

int month_of(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower;
  for (const char c : m) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 12; ++i)
    if (lower == kMonths[i]) return i + 1;
  return 0;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool read_int(std::string_view s, std::size_t& i, std::size_t digits, int& out) {
  if (i + digits > s.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  i += digits;
  return true;
}

// Fractional seconds and a zone ("Z", "+hh:mm", "+hhmm", " +0000", none = UTC).
bool read_tail(std::string_view s, std::size_t i, double& frac, int& offset_s) {
  frac = 0;
  offset_s = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    double scale = 0.1;
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      frac += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  while (i < s.size() && s[i] == ' ') ++i;
  if (i == s.size()) return true;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s.substr(i) == "GMT" || s.substr(i) == "UTC") return true;
  if (s[i] != '+' && s[i] != '-') return false;
  const int sign = s[i] == '-' ? -1 : 1;
  ++i;
  int hh = 0, mm = 0;
  if (!read_int(s, i, 2, hh)) return false;
  if (i < s.size() && s[i] == ':') ++i;
  if (!read_int(s, i, 2, mm)) return false;
  offset_s = sign * (hh * 3600 + mm * 60);
  return i == s.size();
}

double iso8601(std::string_view s) {
  std::size_t i = 0;
  int y, mo, d, h, mi, se;
  if (!read_int(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, mo) ||
      i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, d))
    return kNoTime;
  if (i >= s.size() || (s[i] != 'T' && s[i] != ' ')) return kNoTime;
  ++i;
  if (!read_int(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, mi) ||
      i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, se))
    return kNoTime;
  double frac;
  int offset;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 ||
      !read_tail(s, i, frac, offset))
    return kNoTime;
  return static_cast<double>(
             days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
             h * 3600 + mi * 60 + se - offset) +
         frac;
}

// "Mon, 30 Nov 2026 08:16:14 +0000" (the weekday is optional).
double rfc2822(std::string_view s) {
  std::size_t i = 0;
  if (const std::size_t comma = s.find(','); comma != std::string_view::npos) i = comma + 1;
  while (i < s.size() && s[i] == ' ') ++i;
  int d, y, h, mi, se;
  const std::size_t d0 = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == d0 || i - d0 > 2) return kNoTime;
  std::size_t k = d0;
  if (!read_int(s, k, i - d0, d) || i >= s.size() || s[i++] != ' ') return kNoTime;
  const int mo = i + 3 <= s.size() ? month_of(s.substr(i, 3)) : 0;
  i += 3;
  if (mo == 0 || i >= s.size() || s[i++] != ' ' || !read_int(s, i, 4, y) || i >= s.size() ||
      s[i++] != ' ' || !read_int(s, i, 2, h) || i >= s.size() || s[i++] != ':' ||
      !read_int(s, i, 2, mi) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, se))
    return kNoTime;
  double frac;
  int offset;
  if (d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || !read_tail(s, i, frac, offset))
    return kNoTime;
  return static_cast<double>(
             days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
             h * 3600 + mi * 60 + se - offset) +
         frac;
}

// RFC 4180 records: quoted fields may hold commas, quotes ("") and newlines. Returns the
// line the record started on; false at the end of the file.
bool next_csv_record(std::istream& in, std::size_t& line, std::vector<std::string>& fields,
                     std::size_t& start_line, bool& unterminated) {
  fields.clear();
  unterminated = false;
  std::string text;
  if (!std::getline(in, text)) return false;
  start_line = ++line;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0;; ++i) {
    if (i == text.size()) {
      if (!quoted) break;
      std::string more;
      if (!std::getline(in, more)) {
        unterminated = true;
        break;
      }
      ++line;
      field += '\n';
      text = std::move(more);
      i = static_cast<std::size_t>(-1);
      continue;
    }
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c != '\r' || i + 1 != text.size()) {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return true;
}

bool known_status(const std::string& s) {
  return s == "queued" || s == "sent" || s == "delivered" || s == "undelivered" || s == "failed" ||
         s == "accepted" || s == "sending" || s == "scheduled" || s == "read" || s == "canceled";
}

// One row, as (field, text) pairs, into a record; the reason when it cannot be used.
std::optional<std::string> fill(const std::vector<std::pair<Field, std::string>>& row,
                                DeliveryRecord& r, bool& other) {
  other = false;
  for (const auto& [field, raw] : row) {
    const std::string v = trim(raw);
    const auto time = [&](double& out, const char* name) -> std::optional<std::string> {
      if (v.empty() || v == "null") return std::nullopt;
      out = parse_time(v);
      if (std::isnan(out))
        return std::string(name) + " '" + v +
               "' is not a time (seconds, ISO 8601 or RFC 2822 expected)";
      return std::nullopt;
    };
    std::optional<std::string> err;
    switch (field) {
      case Field::message_id:
        r.message_id = v;
        break;
      case Field::vendor:
        r.vendor = v;
        break;
      case Field::carrier:
        r.carrier = v;
        break;
      case Field::submitted:
        err = time(r.submitted, "submitted");
        break;
      case Field::sent:
        err = time(r.sent, "sent");
        break;
      case Field::delivered:
        err = time(r.delivered, "delivered");
        break;
      case Field::updated:
        err = time(r.updated, "updated");
        break;
      case Field::receipt:
        err = time(r.receipt, "receipt");
        break;
      case Field::status:
        r.status = normalise(v);
        break;
      case Field::error_code: {
        if (v.empty() || v == "null" || v == "0") break;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), r.error_code);
        if (ec != std::errc() || p != v.data() + v.size())
          err = "error_code '" + v + "' is not a number";
        break;
      }
      case Field::direction:
        if (!v.empty() && normalise(v).rfind("outbound", 0) != 0) other = true;
        break;
    }
    if (err) return err;
  }
  if (other) return std::nullopt;
  if (r.status.empty()) return std::string("no status");
  if (r.status == "receiving" || r.status == "received") {
    other = true;
    return std::nullopt;
  }
  if (!known_status(r.status))
    return "status '" + r.status + "' is not one of queued, sent, delivered, undelivered, failed";
  if ((r.status == "delivered") && std::isnan(r.delivered) && !std::isnan(r.updated))
    r.delivered = r.updated;  // Twilio logs: the receipt time stands in for delivery
  if (r.status == "delivered" && std::isnan(r.delivered))
    return std::string("status delivered without a delivered time");
  if (!std::isnan(r.sent) && !std::isnan(r.delivered) && r.delivered < r.sent)
    return std::string("delivered before it was sent");
  if (!std::isnan(r.submitted) && !std::isnan(r.sent) && r.sent < r.submitted)
    return std::string("sent before it was submitted");
  if ((r.status == "delivered" || r.status == "undelivered") && std::isnan(r.sent))
    return "status " + r.status + " without a sent time";
  return std::nullopt;
}

std::string json_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

double parse_time(const std::string& raw) {
  const std::string text = trim(raw);
  if (text.empty()) return kNoTime;
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && p == text.data() + text.size()) return std::isfinite(v) ? v : kNoTime;
  if (const double t = iso8601(text); !std::isnan(t)) return t;
  return rfc2822(text);
}

DeliveryLog read_delivery_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the delivery log");
  DeliveryLog log;
  log.path = path;
  // JSONL when the first non-blank character is '{'.
  char first = 0;
  while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
  }
  in.clear();
  in.seekg(0);
  bool twilio = true;
  if (first == '{') {
    std::string text;
    std::size_t line = 0;
    bool seen_delivered = false;
    while (std::getline(in, text)) {
      ++line;
      if (trim(text).empty()) continue;
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(text);
      } catch (const nlohmann::json::parse_error& e) {
        log.bad_rows.push_back({line, std::string("not JSON: ") + e.what()});
        continue;
      }
      if (!j.is_object()) {
        log.bad_rows.push_back({line, "not a JSON object"});
        continue;
      }
      if (j.contains("event") && j["event"] != "message") {
        ++log.other_rows;  // the ledger's start, callback, throttled ... lines
        continue;
      }
      std::vector<std::pair<Field, std::string>> row;
      for (const auto& [k, v] : j.items()) {
        const auto it = columns().find(normalise(k));
        if (it == columns().end()) continue;
        if (it->second == Field::delivered) seen_delivered = true;
        row.emplace_back(it->second, json_text(v));
      }
      DeliveryRecord r;
      r.line = line;
      bool other = false;
      if (auto why = fill(row, r, other)) {
        log.bad_rows.push_back({line, *why});
      } else if (other) {
        ++log.other_rows;
      } else {
        log.records.push_back(std::move(r));
      }
    }
    twilio = !seen_delivered;
    log.format = twilio ? "twilio-jsonl" : "faultline-jsonl";
    return log;
  }
  std::size_t line = 0, start = 0;
  std::vector<std::string> fields;
  bool unterminated = false;
  if (!next_csv_record(in, line, fields, start, unterminated))
    throw std::runtime_error(path + ": empty file; expected a CSV header or JSON lines");
  std::vector<std::optional<Field>> header;
  bool has_status = false;
  for (const std::string& name : fields) {
    const auto it = columns().find(normalise(name));
    header.push_back(it == columns().end() ? std::nullopt : std::optional<Field>(it->second));
    if (it != columns().end() && it->second == Field::delivered) twilio = false;
    if (it != columns().end() && it->second == Field::status) has_status = true;
  }
  if (!has_status)
    throw std::runtime_error(path +
                             ":1: the header has no status column; expected message_id, vendor, "
                             "carrier, submitted, sent, delivered, status, error_code (or "
                             "Twilio's Sid, AccountSid, Status, SentDate, ErrorCode)");
  log.format = twilio ? "twilio-csv" : "faultline-csv";
  while (next_csv_record(in, line, fields, start, unterminated)) {
    if (unterminated) {
      log.bad_rows.push_back({start, "a quoted field is not closed before the end of the file"});
      break;
    }
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    if (fields.size() != header.size()) {
      log.bad_rows.push_back({start, std::to_string(fields.size()) + " fields, the header has " +
                                         std::to_string(header.size())});
      continue;
    }
    std::vector<std::pair<Field, std::string>> row;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (header[i]) row.emplace_back(*header[i], fields[i]);
    DeliveryRecord r;
    r.line = start;
    bool other = false;
    if (auto why = fill(row, r, other))
      log.bad_rows.push_back({start, *why});
    else if (other)
      ++log.other_rows;
    else
      log.records.push_back(std::move(r));
  }
  return log;
}

}  // namespace faultline::vendor
