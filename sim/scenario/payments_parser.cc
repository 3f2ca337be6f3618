#include "sim/scenario/payments_parser.h"

#include <cmath>
#include <string>

namespace faultline {

namespace {

class PaymentsParser {
 public:
  PaymentsParser(const YamlReader& y, PaymentsSpec& p) : y_(y), p_(p) {}

  void parse(const YAML::Node& n) {
    const std::string ctx = "payments";
    y_.expect_map(n, ctx);
    y_.check_keys(n,
                  {"app_share", "backend", "statement_lead", "sync_interval", "link", "otp", "risk",
                   "rails", "retry"},
                  ctx);
    prob(n, ctx, "app_share", p_.app_share);
    dur(n, ctx, "statement_lead", p_.statement_lead);
    if (p_.statement_lead <= 0)
      y_.fail(n["statement_lead"], "payments.statement_lead: must be longer than zero");
    dur(n, ctx, "sync_interval", p_.sync_interval);
    if (p_.sync_interval < 0)
      y_.fail(n["sync_interval"], "payments.sync_interval: must be >= 0 (0 = sync on write)");
    if (const YAML::Node b = n["backend"]) backend(b);
    if (const YAML::Node l = n["link"]) {
      block(l, "payments.link", {"share", "ttl"});
      prob(l, "payments.link", "share", p_.link_share);
      dur(l, "payments.link", "ttl", p_.link_ttl);
      if (p_.link_ttl <= 0) y_.fail(l["ttl"], "payments.link.ttl: must be longer than zero");
    }
    if (const YAML::Node o = n["otp"]) {
      block(o, "payments.otp", {"sms_share", "validity"});
      prob(o, "payments.otp", "sms_share", p_.otp_sms_share);
      dur(o, "payments.otp", "validity", p_.otp_validity);
      if (p_.otp_validity <= 0)
        y_.fail(o["validity"], "payments.otp.validity: must be longer than zero");
    }
    if (const YAML::Node r = n["risk"]) {
      block(r, "payments.risk", {"false_positive"});
      prob(r, "payments.risk", "false_positive", p_.risk_false_positive);
    }
    if (const YAML::Node r = n["rails"]) rails(r);
    if (const YAML::Node r = n["retry"]) retry(r);
  }

 private:
  void block(const YAML::Node& n, const std::string& ctx, const std::vector<std::string>& keys) {
    y_.expect_map(n, ctx);
    y_.check_keys(n, keys, ctx);
  }
  void prob(const YAML::Node& n, const std::string& ctx, const char* key, double& out) {
    if (n[key]) out = y_.parse(n[key], parse_probability, ctx + "." + key);
  }
  void dur(const YAML::Node& n, const std::string& ctx, const char* key, SimTime& out) {
    if (n[key]) out = y_.parse(n[key], parse_duration, ctx + "." + key);
  }
  void rate(const YAML::Node& n, const std::string& ctx, const char* key, double& out) {
    if (!n[key]) return;
    out = y_.parse(n[key], parse_rate_per_s, ctx + "." + key);
    if (!(out > 0) || out > 1e9)
      y_.fail(n[key], ctx + "." + key + ": expected a rate above 0 and at most 1000000000/s");
  }

  void backend(const YAML::Node& b) {
    const std::string ctx = "payments.backend";
    block(b, ctx, {"capacity", "background", "error_rate"});
    rate(b, ctx, "capacity", p_.backend_capacity_per_s);
    rate(b, ctx, "background", p_.backend_background_per_s);
    prob(b, ctx, "error_rate", p_.backend_error_rate);
  }

  void rails(const YAML::Node& n) {
    y_.expect_map(n, "payments.rails");
    double total = 0;
    for (auto it = n.begin(); it != n.end(); ++it) {
      RailSpec r;
      r.name = y_.scalar(it->first, "payments.rails");
      r.loc = YamlReader::loc(it->first);
      const std::string ctx = "payments.rails." + r.name;
      if (p_.rail_index(r.name) >= 0) y_.fail(it->first, ctx + ": declared twice");
      const YAML::Node body = it->second;
      block(body, ctx, {"share", "decline_rate"});
      r.share = y_.parse(y_.require(body, "share", ctx), parse_probability, ctx + ".share");
      prob(body, ctx, "decline_rate", r.decline_rate);
      total += r.share;
      p_.rails.push_back(r);
    }
    if (p_.rails.empty()) y_.fail(n, "payments.rails: declare at least one rail or omit the block");
    if (p_.rails.size() > 32) y_.fail(n, "payments.rails: at most 32 rails");
    if (std::abs(total - 1.0) > 1e-9)
      y_.fail(n, "payments.rails: shares add up to " + std::to_string(total) +
                     "; expected them to add up to 1 (100%)");
  }

  void retry(const YAML::Node& n) {
    const std::string ctx = "payments.retry";
    block(n, ctx,
          {"probability", "delay_mean", "max_attempts", "switch_channel", "unconfirmed",
           "confirmation_patience", "support_contact"});
    prob(n, ctx, "probability", p_.retry_probability);
    dur(n, ctx, "delay_mean", p_.retry_delay_mean);
    if (p_.retry_delay_mean <= 0)
      y_.fail(n["delay_mean"], ctx + ".delay_mean: must be longer than zero");
    if (const YAML::Node m = n["max_attempts"]) {
      const long long v = y_.parse(m, parse_integer, ctx + ".max_attempts");
      if (v < 1 || v > 20)
        y_.fail(m, ctx + ".max_attempts: expected 1 to 20 (the first attempt counts)");
      p_.max_attempts = static_cast<int>(v);
    }
    prob(n, ctx, "switch_channel", p_.switch_channel);
    prob(n, ctx, "unconfirmed", p_.unconfirmed_retry);
    dur(n, ctx, "confirmation_patience", p_.confirmation_patience);
    if (p_.confirmation_patience < 0)
      y_.fail(n["confirmation_patience"], ctx + ".confirmation_patience: must be >= 0");
    prob(n, ctx, "support_contact", p_.support_contact);
  }

  const YamlReader& y_;
  PaymentsSpec& p_;
};

}  // namespace

void parse_payments(const YamlReader& y, const YAML::Node& n, Scenario& s) {
  if (n && !n.IsNull()) PaymentsParser(y, s.payments).parse(n);
  if (s.payments.rails.empty()) s.payments.rails.push_back(RailSpec{"card", 1.0, 0.0, {}});
}

}  // namespace faultline
