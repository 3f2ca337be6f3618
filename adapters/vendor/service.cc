#include "adapters/vendor/service.h"

#include <cmath>

#include "adapters/http/form.h"
#include "adapters/vendor/traffic_log.h"
#include "adapters/vendor/twilio.h"

namespace faultline::vendor {

namespace {
using Clock = std::chrono::steady_clock;

http::Response twilio_error(const ApiError& e) {
  return http::Response::json(e.status, error_body(e));
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::ordered_json sim_seconds(SimTime t) {
  return t == kTimeNever ? nlohmann::ordered_json() : nlohmann::ordered_json(to_seconds(t));
}
}  // namespace

Service::Service(boost::asio::io_context& io, Engine& engine, Ledger& ledger,
                 std::uint64_t run_seed, ServiceOptions options)
    : io_(io),
      engine_(engine),
      ledger_(ledger),
      run_seed_(run_seed),
      options_(std::move(options)),
      wall_start_(Clock::now()),
      unix_start_ms_(unix_now_ms()),
      timer_(io),
      callback_pool_(io, options_.callback_pool) {
  for (const VendorSpec& v : engine_.scenario().vendors)
    account_sids_.push_back(account_sid(v.name));
}

Service::~Service() = default;

SimTime Service::sim_now() const {
  const double wall_us =
      std::chrono::duration<double, std::micro>(Clock::now() - wall_start_).count();
  return options_.start + std::llround(wall_us * options_.time_scale);
}

Clock::time_point Service::wall_of(SimTime t) const {
  const double wall_us = static_cast<double>(t - options_.start) / options_.time_scale;
  return wall_start_ + std::chrono::microseconds(std::llround(std::max(0.0, wall_us)));
}

std::int64_t Service::unix_ms_of(SimTime t) const {
  return unix_start_ms_ +
         std::llround(static_cast<double>(t - options_.start) / options_.time_scale / 1000.0);
}

int Service::vendor_of(std::string_view account) const {
  for (std::size_t i = 0; i < account_sids_.size(); ++i)
    if (account == account_sids_[i] || account == engine_.scenario().vendors[i].name)
      return static_cast<int>(i);
  return -1;
}

http::Router Service::router() {
  http::Router r;
  const std::string base = "/2010-04-01/Accounts/{account}";
  r.add("POST", base + "/Messages.json", [this](const http::Request& q) { return create(q); });
  r.add("GET", base + "/Messages/{file}", [this](const http::Request& q) { return fetch(q); });
  r.add("GET", "/2010-04-01/Accounts/{file}",
        [this](const http::Request& q) { return account(q); });
  r.add("GET", "/faultline/clock", [this](const http::Request& q) { return clock(q); });
  r.set_error_formatter([](int status, std::string_view message) {
    // The router's own errors in Twilio's shape: unknown paths are 20404.
    ApiError e{status,
               status == 404   ? 20404
               : status == 405 ? 20004
                               : 20000 + status,
               std::string(message)};
    return twilio_error(e);
  });
  return r;
}

int Service::authorise(const http::Request& r, http::Response& error) const {
  const auto header = r.headers.get("Authorization");
  const auto creds = header ? basic_credentials(*header) : std::nullopt;
  const int vendor = vendor_of(r.param("account"));
  if (!creds || creds->second != options_.auth_token || vendor < 0 ||
      vendor_of(creds->first) != vendor) {
    // An unknown account with valid-looking credentials for it is still "not found".
    if (creds && creds->second == options_.auth_token && vendor < 0) {
      error = twilio_error(not_found(r.path));
      return -1;
    }
    error = twilio_error(unauthorized());
    error.headers.set("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return -1;
  }
  return vendor;
}

http::Response Service::create(const http::Request& r) {
  http::Response error;
  const int vendor = authorise(r, error);
  if (vendor < 0) {
    ++stats_.bad_requests;
    return error;
  }
  // A body Twilio cannot read (not form-encoded) has no To: Twilio's answer is 21604.
  const std::string type = r.headers.value_or("Content-Type", "");
  const http::FormFields form = type.rfind("application/x-www-form-urlencoded", 0) == 0
                                    ? http::parse_form(r.body)
                                    : http::FormFields{};
  const auto field = [&](std::string_view name) {
    return http::form_value(form, name).value_or("");
  };
  const std::string to = field("To"), from = field("From"), body = field("Body");
  const std::string callback = field("StatusCallback");
  std::optional<ApiError> bad;
  if (to.empty())
    bad = missing_to();
  else if (!is_e164(to))
    bad = invalid_to(to);
  else if (from.empty() && field("MessagingServiceSid").empty())
    bad = missing_from();
  else if (body.empty() && field("MediaUrl").empty())
    bad = missing_body();
  else if (body.size() > 1600)
    bad = body_too_long();
  else if (!callback.empty() && !http::parse_url(callback))
    bad = invalid_callback(callback);
  if (bad) {
    ++stats_.bad_requests;
    return twilio_error(*bad);
  }
  if (stopped_) return twilio_error(service_unavailable());
  const SimTime now = sim_now();
  // Overload: the cap on messages with callbacks to come. Retry-After: until the next one
  // fires and frees a slot.
  if (stats_.pending >= options_.max_pending) {
    ++stats_.throttled;
    const std::int64_t second = (unix_now_ms() - unix_start_ms_) / 1000;
    if (second != throttle_second_ && throttle_count_ > 0) {
      ledger_.write(
          {{"event", "throttled"}, {"wall_second", throttle_second_}, {"count", throttle_count_}});
      throttle_count_ = 0;
    }
    throttle_second_ = second;
    ++throttle_count_;
    double wait_s = 1;
    if (!due_.empty())
      wait_s = std::max(
          1.0, std::ceil(std::chrono::duration<double>(due_.top().at - Clock::now()).count()));
    http::Response resp = twilio_error(too_many_requests());
    resp.headers.set("Retry-After", std::to_string(static_cast<long long>(wait_s)));
    return resp;
  }
  const Fate fate = engine_.submit(vendor, to, now);
  if (!fate.accepted) {
    ++stats_.rejected;
    nlohmann::ordered_json j;
    j["event"] = "rejected";
    j["vendor"] = engine_.scenario().vendors[static_cast<std::size_t>(vendor)].name;
    j["to"] = to;
    j["submitted"] = to_seconds(now);
    j["wall_ms"] = unix_now_ms();
    j["error_code"] = service_unavailable().code;
    j["window"] = fate.window < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(fate.window);
    ledger_.write(j);
    return twilio_error(service_unavailable());
  }
  ++stats_.accepted;
  const std::uint64_t seq = sequence_++;
  Message m;
  m.sid = message_sid(run_seed_, vendor, seq);
  m.to = to;
  m.from = from;
  m.body = body;
  m.callback = callback;
  m.vendor = vendor;
  m.fate = fate;
  m.created_unix_ms = unix_now_ms();
  nlohmann::ordered_json line = message_record(engine_.scenario(), vendor, m.sid, to, fate);
  line["wall_ms"] = m.created_unix_ms;
  line["status_callback"] =
      callback.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(callback);
  ledger_.write(line);
  http::Response resp = http::Response::json(201, resource(m, true));
  by_sid_.emplace(m.sid, seq);
  retained_order_.push_back(seq);
  const auto [it, inserted] = messages_.emplace(seq, std::move(m));
  if (!it->second.callback.empty()) schedule(seq, it->second);
  forget_old();
  return resp;
}

void Service::schedule(std::uint64_t seq, const Message& m) {
  int n = 0;
  if (m.fate.sent_at != kTimeNever) {
    due_.push({wall_of(m.fate.sent_at), due_order_++, seq, false});
    ++n;
  }
  if (m.fate.receipt_at != kTimeNever) {
    due_.push({wall_of(m.fate.receipt_at), due_order_++, seq, true});
    ++n;
  }
  if (n == 0) return;
  callbacks_left_[seq] = n;
  ++stats_.pending;
  stats_.peak_pending = std::max(stats_.peak_pending, stats_.pending);
  arm();
}

void Service::arm() {
  if (due_.empty() || stopped_) return;
  const Clock::time_point next = due_.top().at;
  if (armed_for_valid_ && armed_for_ <= next) return;
  armed_for_valid_ = true;
  armed_for_ = next;
  timer_.expires_at(next);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed for an earlier time, or stopped
    armed_for_valid_ = false;
    on_timer();
  });
}

void Service::on_timer() {
  const Clock::time_point now = Clock::now();
  while (!due_.empty() && due_.top().at <= now && !stopped_) {
    const Due d = due_.top();
    due_.pop();
    start_callback({d.message, d.final, d.at});
  }
  arm();
}

void Service::start_callback(const Job& job) {
  const Message& m = messages_.at(job.message);
  const auto url = http::parse_url(m.callback);
  const std::string host = url ? url->host + ":" + std::to_string(url->port) : m.callback;
  Host& h = hosts_[host];
  if (h.in_flight >= options_.max_in_flight_per_host) {
    h.waiting.push_back(job);  // bounded: every job is a pending message's callback
    return;
  }
  ++h.in_flight;
  ++in_flight_;
  const Fate& f = m.fate;
  const Status status = job.final ? f.receipt_status : Status::sent;
  const std::string& account = account_sids_[static_cast<std::size_t>(m.vendor)];
  http::FormFields params = {{"AccountSid", account},
                             {"ApiVersion", std::string(kApiVersion)},
                             {"From", m.from},
                             {"MessageSid", m.sid},
                             {"MessageStatus", std::string(status_name(status))},
                             {"SmsSid", m.sid},
                             {"SmsStatus", std::string(status_name(status))},
                             {"To", m.to}};
  if (job.final && (status == Status::failed || status == Status::undelivered))
    params.emplace_back("ErrorCode", std::to_string(f.error_code));
  http::Headers headers;
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  headers.set("X-Twilio-Signature", twilio_signature(options_.auth_token, m.callback, params));
  headers.set("User-Agent", "TwilioProxy/1.1 (faultline vendor emulator)");
  const Clock::time_point started = Clock::now();
  callback_pool_.async_request("POST", m.callback, std::move(headers), http::encode_form(params),
                               options_.callback,
                               [this, job, host, started](http::ClientResponse resp) {
                                 finish_callback(job, host, resp, started);
                               });
}

void Service::finish_callback(const Job& job, const std::string& host,
                              const http::ClientResponse& r, Clock::time_point started) {
  --in_flight_;
  Host& h = hosts_[host];
  --h.in_flight;
  const Message& m = messages_.at(job.message);
  const Status status = job.final ? m.fate.receipt_status : Status::sent;
  (r.ok() ? stats_.callbacks_ok : stats_.callbacks_failed) += 1;
  nlohmann::ordered_json j;
  j["event"] = "callback";
  j["message_id"] = m.sid;
  j["status"] = status_name(status);
  j["due"] = sim_seconds(job.final ? m.fate.receipt_at : m.fate.sent_at);
  j["lateness_ms"] =
      std::chrono::duration<double, std::milli>(started - job.due).count();  // timer lateness
  j["wall_ms"] = unix_now_ms();
  j["http_status"] = r.status == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(r.status);
  j["attempts"] = r.attempts;
  j["error"] = r.ok() ? nlohmann::ordered_json()
                      : nlohmann::ordered_json(r.error.empty() ? "HTTP " + std::to_string(r.status)
                                                               : r.error);
  ledger_.write(j);
  if (--callbacks_left_[job.message] == 0) {
    callbacks_left_.erase(job.message);
    --stats_.pending;
  }
  if (!h.waiting.empty() && !stopped_) {
    const Job next = h.waiting.front();
    h.waiting.pop_front();
    start_callback(next);
  }
  forget_old();
}

void Service::forget_old() {
  while (retained_order_.size() > options_.max_retained) {
    const std::uint64_t seq = retained_order_.front();
    if (callbacks_left_.count(seq)) break;  // still has callbacks to send
    retained_order_.pop_front();
    auto it = messages_.find(seq);
    by_sid_.erase(it->second.sid);
    messages_.erase(it);
  }
}

nlohmann::ordered_json Service::resource(const Message& m, bool created) const {
  const SimTime now = created ? SimTime{-1} : sim_now();
  const Fate& f = m.fate;
  Status status = Status::queued;
  int error = 0;
  if (f.receipt_at != kTimeNever && now >= f.receipt_at) {
    status = f.receipt_status;
    if (status != Status::delivered) error = f.error_code;
  } else if (f.sent_at != kTimeNever && now >= f.sent_at) {
    status = Status::sent;
  }
  const std::string& account = account_sids_[static_cast<std::size_t>(m.vendor)];
  const std::string uri = "/2010-04-01/Accounts/" + account + "/Messages/" + m.sid;
  const auto date = [](std::int64_t ms) { return nlohmann::ordered_json(rfc2822_date(ms)); };
  nlohmann::ordered_json j;
  j["account_sid"] = account;
  j["api_version"] = kApiVersion;
  j["body"] = m.body;
  j["date_created"] = date(m.created_unix_ms);
  j["date_sent"] = status == Status::queued
                       ? nlohmann::ordered_json()
                       : date(unix_ms_of(f.sent_at == kTimeNever ? f.final_at : f.sent_at));
  j["date_updated"] = status == Status::queued ? date(m.created_unix_ms)
                      : status == Status::sent ? date(unix_ms_of(f.sent_at))
                                               : date(unix_ms_of(f.receipt_at));
  j["direction"] = "outbound-api";
  j["error_code"] = error == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(error);
  j["error_message"] = nullptr;
  j["from"] = m.from;
  j["messaging_service_sid"] = nullptr;
  j["num_media"] = "0";
  j["num_segments"] = std::to_string(std::max<std::size_t>(1, (m.body.size() + 152) / 153));
  j["price"] = nullptr;
  j["price_unit"] = "USD";
  j["sid"] = m.sid;
  j["status"] = status_name(status);
  j["subresource_uris"] = {{"media", uri + "/Media.json"}};
  j["to"] = m.to;
  j["uri"] = uri + ".json";
  return j;
}

http::Response Service::fetch(const http::Request& r) {
  http::Response error;
  if (authorise(r, error) < 0) return error;
  std::string file = r.param("file");
  if (file.size() > 5 && file.substr(file.size() - 5) == ".json") file.resize(file.size() - 5);
  const auto it = by_sid_.find(file);
  if (it == by_sid_.end()) return twilio_error(not_found(r.path));
  const Message& m = messages_.at(it->second);
  if (m.vendor != vendor_of(r.param("account"))) return twilio_error(not_found(r.path));
  return http::Response::json(200, resource(m));
}

http::Response Service::account(const http::Request& r) {
  std::string file = r.param("file");
  if (file.size() <= 5 || file.substr(file.size() - 5) != ".json")
    return twilio_error(not_found(r.path));
  file.resize(file.size() - 5);
  http::Request q = r;
  q.params["account"] = file;
  http::Response error;
  const int vendor = authorise(q, error);
  if (vendor < 0) return error;
  nlohmann::ordered_json j;
  j["sid"] = account_sids_[static_cast<std::size_t>(vendor)];
  j["friendly_name"] = engine_.scenario().vendors[static_cast<std::size_t>(vendor)].name;
  j["status"] = "active";
  j["type"] = "Full";
  j["uri"] = "/2010-04-01/Accounts/" + j["sid"].get<std::string>() + ".json";
  return http::Response::json(200, j);
}

http::Response Service::clock(const http::Request&) {
  nlohmann::ordered_json j;
  const SimTime now = sim_now();
  j["sim_time_s"] = to_seconds(now);
  j["sim_time"] = format_time(now);
  j["time_scale"] = options_.time_scale;
  j["accepted"] = stats_.accepted;
  j["pending"] = stats_.pending;
  return http::Response::json(200, j);
}

void Service::stop() {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  callback_pool_.close();
  if (throttle_count_ > 0)
    ledger_.write(
        {{"event", "throttled"}, {"wall_second", throttle_second_}, {"count", throttle_count_}});
  throttle_count_ = 0;
}

ServiceStats Service::stats() const {
  ServiceStats s = stats_;
  s.retained = messages_.size();
  // Callbacks not (yet) sent: still due, waiting for a busy host, or cut off in flight.
  s.callbacks_unsent = due_.size() + in_flight_;
  for (const auto& [name, h] : hosts_) s.callbacks_unsent += h.waiting.size();
  s.callback_connections = callback_pool_.stats().connects;
  return s;
}

}  // namespace faultline::vendor
