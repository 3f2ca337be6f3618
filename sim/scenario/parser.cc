#include "sim/scenario/parser.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/scenario/expect_parser.h"
#include "sim/scenario/input_file.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/payments_parser.h"
#include "sim/scenario/sweep_grid.h"
#include "sim/scenario/yaml_limits.h"
#include "sim/scenario/yaml_reader.h"
#include "sim/util/sha256.h"

namespace faultline {

namespace {

using Keys = std::vector<std::string>;

// SMS is always there; the other channels exist when the scenario declares them.
bool channel_declared(Channel c, const Scenario& s) {
  return c == Channel::sms || (c == Channel::push && s.push.enabled) ||
         (c == Channel::email && s.email.enabled) || (c == Channel::in_app && s.in_app.enabled);
}

std::vector<std::string> names_of(std::span<const PluginInfo> plugins) {
  std::vector<std::string> out;
  for (const auto& p : plugins) out.emplace_back(p.name);
  return out;
}

class Parser {
 public:
  Parser(const std::string& file, const Catalogues& cat) : y_(file), cat_(cat) {}

  Scenario parse(const YAML::Node& root) {
    Scenario s;
    y_.expect_map(root, "scenario file");
    y_.check_keys(root,
                  {"scenario", "description", "horizon", "seed", "replications", "confidence",
                   "population", "channels", "infrastructure", "reminders", "faults", "strategies",
                   "limits", "expect", "sweep", "precision", "engine", "payments"},
                  "top level");
    s.name = y_.scalar(y_.require(root, "scenario", "top level"), "scenario");
    if (s.name.empty()) y_.fail(root["scenario"], "scenario: the name must not be empty");
    if (root["description"]) s.description = y_.scalar(root["description"], "description");
    if (root["horizon"]) s.horizon = y_.parse(root["horizon"], parse_duration, "horizon");
    if (s.horizon <= 0) y_.fail(root["horizon"], "horizon: must be longer than zero");
    if (root["seed"]) {
      const long long seed = y_.parse(root["seed"], parse_integer, "seed");
      if (seed < 0) y_.fail(root["seed"], "seed: expected a whole number >= 0");
      s.seed = static_cast<std::uint64_t>(seed);
    }
    if (root["replications"]) {
      const long long r = y_.parse(root["replications"], parse_integer, "replications");
      if (r < 1 || r > 100000) y_.fail(root["replications"], "replications: expected 1 to 100000");
      s.replications = static_cast<int>(r);
    }
    if (root["confidence"]) {
      s.confidence = y_.parse(root["confidence"], parse_probability, "confidence");
      if (s.confidence < 0.5 || s.confidence >= 1)
        y_.fail(root["confidence"], "confidence: expected a level in [50%, 100%), e.g. 95%");
    }
    parse_infrastructure(y_.require(root, "infrastructure", "top level"), s);
    parse_engine(y_, root, s);                     // network_parser.cc
    parse_network(y_, root["infrastructure"], s);  // needs the vendors and carriers
    parse_channels(y_.require(root, "channels", "top level"), s);
    parse_population(y_.require(root, "population", "top level"), s);
    parse_reminders(y_.require(root, "reminders", "top level"), s);
    parse_payments(y_, root["payments"], s);  // payments_parser.cc
    if (!root["payments"] || !root["payments"].IsMap() || !root["payments"]["statement_lead"])
      state_before_first_reminder(s);
    if (root["faults"] && !root["faults"].IsNull()) parse_faults(root["faults"], s);
    parse_strategies(y_.require(root, "strategies", "top level"), s);
    validate_engine(s, y_.file());  // network plug-ins need engine: simgrid; their checks
    if (root["limits"]) parse_limits(root["limits"], s);
    if (root["sweep"]) s.sweep = parse_sweep(root["sweep"], y_);  // points: sweep_grid.h
    if (root["precision"]) s.precision = parse_precision(root["precision"], y_);
    if (root["expect"]) parse_expectations(y_, root["expect"], s);  // after strategies: names them
    return s;
  }

 private:
  void parse_population(const YAML::Node& n, Scenario& s) {
    const std::string ctx = "population";
    y_.expect_map(n, ctx);
    y_.check_keys(n,
                  {"borrowers", "due_day", "grace", "behaviour", "reachability", "products",
                   "cycles", "cycle"},
                  ctx);
    const YAML::Node b = y_.require(n, "borrowers", ctx);
    const long long count = y_.parse(b, parse_integer, "population.borrowers");
    if (count < 1 || count > 100'000'000)
      y_.fail(b, "population.borrowers: expected 1 to 100000000");
    s.population.borrowers = static_cast<std::uint32_t>(count);
    parse_due_day(y_.require(n, "due_day", ctx), s);
    if (n["grace"]) s.population.grace = y_.parse(n["grace"], parse_duration, "population.grace");
    const SimTime last_settlement = (s.population.due_day_max + 1) * kDay + s.population.grace;
    if (last_settlement > s.horizon)
      y_.fail(n["due_day"], "population: the last due date (day " +
                                std::to_string(s.population.due_day_max) + ") plus grace (" +
                                format_duration(s.population.grace) + ") ends after the horizon (" +
                                format_duration(s.horizon) +
                                "); lengthen the horizon or move due days earlier so every "
                                "obligation is settled within the run");
    if (n["behaviour"]) parse_behaviour(n["behaviour"], s.population.behaviour);
    // Bureaus hear of a payment missed at the end of grace: a threshold inside grace would
    // report obligations that are still only late.
    if (s.population.behaviour.reporting_threshold < s.population.grace) {
      const YAML::Node given = n["behaviour"];
      const YAML::Node at = given && given.IsMap() && given["reporting_threshold"]
                                ? given["reporting_threshold"]
                            : n["grace"] ? n["grace"]
                                         : n;
      y_.fail(at, "population.behaviour.reporting_threshold (" +
                      format_duration(s.population.behaviour.reporting_threshold) +
                      ") is shorter than population.grace (" + format_duration(s.population.grace) +
                      "); expected a threshold at or after the end of grace, e.g. 30d");
    }
    if (n["reachability"]) parse_reachability(n["reachability"], s.population.reachability);
    if (n["products"]) parse_products(n["products"], s);
    parse_cycles(n, s);
  }

  void parse_cycles(const YAML::Node& n, Scenario& s) {
    if (const YAML::Node c = n["cycles"]) {
      const long long cycles = y_.parse(c, parse_integer, "population.cycles");
      if (cycles < 1 || cycles > 120) y_.fail(c, "population.cycles: expected 1 to 120");
      s.population.cycles = static_cast<int>(cycles);
    }
    if (const YAML::Node c = n["cycle"]) {
      // "1 month" (or "month") is 30 days: the model's months are all alike.
      const std::string text = y_.scalar(c, "population.cycle");
      s.population.cycle = text == "1 month" || text == "month"
                               ? 30 * kDay
                               : y_.parse(c, parse_duration, "population.cycle");
      if (s.population.cycle < kDay || s.population.cycle % kDay != 0)
        y_.fail(c, "population.cycle: expected whole days >= 1d, or 1 month (30d)");
    }
    if (s.population.cycles > 1 && s.engine == EngineKind::kSimgrid)
      y_.fail(n["cycles"], "population.cycles: several cycles need the native engine");
  }

  // A lender does not remind of an instalment it has not stated: unless the scenario sets
  // payments.statement_lead itself, the statement is out no later than the earliest
  // reminder batch, so a prompted payer never finds "no instalment" (issue 18).
  static void state_before_first_reminder(Scenario& s) {
    for (const ReminderRule& r : s.reminders)
      s.payments.statement_lead =
          std::max(s.payments.statement_lead, r.before_due_days * kDay + kDay - r.at);
  }

  void parse_reachability(const YAML::Node& n, ReachabilitySpec& r) {
    const std::string ctx = "population.reachability";
    y_.expect_map(n, ctx);
    y_.check_keys(n, {"app_users", "push_opt_in", "email", "autopay"}, ctx);
    for (auto [key, out] :
         {std::pair{"app_users", &r.app_users}, std::pair{"push_opt_in", &r.push_opt_in},
          std::pair{"email", &r.email}, std::pair{"autopay", &r.autopay}})
      if (n[key]) *out = y_.parse(n[key], parse_probability, ctx + "." + key);
  }

  void parse_products(const YAML::Node& n, Scenario& s) {
    y_.expect_map(n, "population.products");
    double total = 0;
    for (auto it = n.begin(); it != n.end(); ++it) {
      ProductSpec p;
      p.name = y_.scalar(it->first, "population.products");
      const std::string ctx = "population.products." + p.name;
      if (it->second.IsMap()) {
        y_.check_keys(it->second, {"share", "amount_median", "amount_sigma"}, ctx);
        p.share = y_.parse(y_.require(it->second, "share", ctx), parse_probability, ctx + ".share");
        if (const auto m = it->second["amount_median"]) {
          p.amount_median = y_.parse(m, parse_number, ctx + ".amount_median");
          if (!(p.amount_median > 0)) y_.fail(m, ctx + ".amount_median: must be above 0");
        }
        if (const auto sg = it->second["amount_sigma"]) {
          p.amount_sigma = y_.parse(sg, parse_number, ctx + ".amount_sigma");
          if (p.amount_sigma < 0 || p.amount_sigma > 3)
            y_.fail(sg, ctx + ".amount_sigma: expected 0 to 3");
        }
      } else {
        p.share = y_.parse(it->second, parse_probability, ctx);
      }
      total += p.share;
      s.population.products.push_back(p);
    }
    if (std::abs(total - 1.0) > 1e-9)
      y_.fail(n, "population.products: shares add up to " + std::to_string(total) +
                     "; expected 1 (100%)");
    if (s.population.products.size() > 255) y_.fail(n, "population.products: at most 255 products");
  }

  void parse_due_day(const YAML::Node& n, Scenario& s) {
    const std::string text = y_.scalar(n, "population.due_day");
    const char* expected =
        "population.due_day: expected a day number or uniform(FIRST, LAST), e.g. uniform(1, 28)";
    int lo = 0, hi = 0;
    if (text.rfind("uniform(", 0) == 0 && text.back() == ')') {
      const std::string inner = text.substr(8, text.size() - 9);
      const auto comma = inner.find(',');
      if (comma == std::string::npos) y_.fail(n, expected);
      const auto a = parse_integer(inner.substr(0, comma));
      const auto b = parse_integer(inner.substr(comma + 1));
      if (!a.ok() || !b.ok()) y_.fail(n, expected);
      lo = static_cast<int>(a.value()), hi = static_cast<int>(b.value());
    } else {
      const auto d = parse_integer(text);
      if (!d.ok()) y_.fail(n, expected);
      lo = hi = static_cast<int>(d.value());
    }
    if (lo < 0 || hi < lo || hi > 36500)
      y_.fail(n, "population.due_day: days must satisfy 0 <= FIRST <= LAST <= 36500");
    s.population.due_day_min = lo;
    s.population.due_day_max = hi;
  }

  void parse_behaviour(const YAML::Node& n, BehaviourSpec& b) {
    const std::string ctx = "population.behaviour";
    y_.expect_map(n, ctx);
    y_.check_keys(
        n,
        {"forget_without_reminder", "pay_after_reminder", "pay_delay_mean", "unprompted_lead",
         "cure_within_grace", "cure_after_failure", "cure_before_reporting", "reporting_threshold",
         "non_responders", "overdue_reminder_cure", "autopay_after_late_fee", "forget_by_bucket"},
        ctx);
    auto prob = [&](const char* key, double& out) {
      if (n[key]) out = y_.parse(n[key], parse_probability, ctx + "." + key);
    };
    auto dur = [&](const char* key, SimTime& out) {
      if (n[key]) out = y_.parse(n[key], parse_duration, ctx + "." + key);
    };
    prob("forget_without_reminder", b.forget_without_reminder);
    prob("pay_after_reminder", b.pay_after_reminder);
    prob("cure_within_grace", b.cure_within_grace);
    prob("cure_after_failure", b.cure_after_failure);
    dur("pay_delay_mean", b.pay_delay_mean);
    dur("unprompted_lead", b.unprompted_lead);
    prob("cure_before_reporting", b.cure_before_reporting);
    prob("non_responders", b.non_responders);
    prob("overdue_reminder_cure", b.overdue_reminder_cure);
    prob("autopay_after_late_fee", b.autopay_after_late_fee);
    if (const YAML::Node f = n["forget_by_bucket"]) {
      y_.expect_list(f, ctx + ".forget_by_bucket");
      if (f.size() != 3)
        y_.fail(f, ctx + ".forget_by_bucket: expected 3 probabilities (1-29, 30-59, 60+ dpd)");
      for (std::size_t k = 0; k < 3; ++k)
        b.forget_by_bucket[k] =
            y_.parse(f[k], parse_probability, ctx + ".forget_by_bucket[" + std::to_string(k) + "]");
    }
    if (b.non_responders >= 1)
      y_.fail(n["non_responders"], ctx + ".non_responders: must be below 100%");
    dur("reporting_threshold", b.reporting_threshold);
  }

  void parse_infrastructure(const YAML::Node& n, Scenario& s) {
    y_.expect_map(n, "infrastructure");
    y_.check_keys(n, {"vendors", "carriers", "network", "platform"}, "infrastructure");
    const YAML::Node vendors = y_.require(n, "vendors", "infrastructure");
    y_.expect_map(vendors, "infrastructure.vendors");
    for (auto it = vendors.begin(); it != vendors.end(); ++it) {
      VendorSpec v;
      v.name = y_.scalar(it->first, "infrastructure.vendors");
      v.loc = YamlReader::loc(it->first);
      const std::string ctx = "infrastructure.vendors." + v.name;
      y_.expect_map(it->second, ctx);
      y_.check_keys(it->second,
                    {"capacity", "failure_probability", "validity", "cost_per_message",
                     "first_attempt_failure", "offline_mean", "receipt_delay", "receipt_loss",
                     "false_delivered"},
                    ctx, {"dlr_delay", "dlr_loss"});
      const YAML::Node cap = y_.require(it->second, "capacity", ctx);
      v.capacity_per_s = y_.parse(cap, parse_rate_per_s, ctx + ".capacity");
      if (!(v.capacity_per_s > 0) || v.capacity_per_s > 1e6)
        y_.fail(cap, ctx + ".capacity: expected a rate above 0 and at most 1000000/s");
      if (const auto f = it->second["failure_probability"])
        v.failure_probability = y_.parse(f, parse_probability, ctx + ".failure_probability");
      if (const auto val = it->second["validity"]) {
        v.validity = y_.parse(val, parse_duration, ctx + ".validity");
        if (v.validity <= 0) y_.fail(val, ctx + ".validity: must be longer than zero");
      }
      if (const auto c = it->second["cost_per_message"]) {
        v.cost_per_message = y_.parse(c, parse_number, ctx + ".cost_per_message");
        if (v.cost_per_message < 0) y_.fail(c, ctx + ".cost_per_message: must be >= 0");
      }
      if (const auto f = it->second["first_attempt_failure"])
        v.first_attempt_failure = y_.parse(f, parse_probability, ctx + ".first_attempt_failure");
      if (const auto o = it->second["offline_mean"]) {
        v.offline_mean = y_.parse(o, parse_duration, ctx + ".offline_mean");
        if (v.offline_mean <= 0) y_.fail(o, ctx + ".offline_mean: must be longer than zero");
      }
      std::string key;  // dlr_* until this release: delivery receipts are "receipts" everywhere
      if (const auto d =
              y_.renamed(it->second, "receipt_delay", "dlr_delay", ctx, s.warnings, &key))
        v.receipt_delay = y_.parse(d, parse_duration, ctx + "." + key);
      if (const auto l = y_.renamed(it->second, "receipt_loss", "dlr_loss", ctx, s.warnings, &key))
        v.receipt_loss = y_.parse(l, parse_probability, ctx + "." + key);
      if (const auto f = it->second["false_delivered"])
        v.false_delivered = y_.parse(f, parse_probability, ctx + ".false_delivered");
      s.vendors.push_back(v);
    }
    if (s.vendors.empty())
      y_.fail(vendors, "infrastructure.vendors: declare at least one SMS vendor");
    if (const YAML::Node carriers = n["carriers"]) {
      y_.expect_map(carriers, "infrastructure.carriers");
      double total = 0;
      for (auto it = carriers.begin(); it != carriers.end(); ++it) {
        CarrierSpec c;
        c.name = y_.scalar(it->first, "infrastructure.carriers");
        c.loc = YamlReader::loc(it->first);
        const std::string ctx = "infrastructure.carriers." + c.name;
        y_.expect_map(it->second, ctx);
        y_.check_keys(it->second, {"share", "delay_median", "delay_sigma"}, ctx);
        if (const auto sh = it->second["share"])
          c.share = y_.parse(sh, parse_probability, ctx + ".share");
        if (const auto d = it->second["delay_median"])
          c.delay_median = y_.parse(d, parse_duration, ctx + ".delay_median");
        if (const auto sg = it->second["delay_sigma"]) {
          c.delay_sigma = y_.parse(sg, parse_number, ctx + ".delay_sigma");
          if (c.delay_sigma < 0 || c.delay_sigma > 5)
            y_.fail(sg, ctx + ".delay_sigma: expected 0 to 5");
        }
        total += c.share;
        s.carriers.push_back(c);
      }
      if (s.carriers.empty())
        y_.fail(carriers,
                "infrastructure.carriers: declare at least one carrier or omit the block");
      if (s.carriers.size() > 255)
        y_.fail(carriers, "infrastructure.carriers: at most 255 carriers");
      if (std::abs(total - 1.0) > 1e-9)
        y_.fail(carriers, "infrastructure.carriers: shares add up to " + std::to_string(total) +
                              "; expected them to add up to 1 (100%)");
    } else {
      s.carriers.push_back(CarrierSpec{"default", 1.0, 7 * kSecond, 0.5, {}});
    }
  }

  void parse_channels(const YAML::Node& n, Scenario& s) {
    y_.expect_map(n, "channels");
    y_.check_keys(n, {"sms", "push", "email", "in_app"}, "channels");
    parse_other_channels(n, s);
    const YAML::Node sms = y_.require(n, "sms", "channels");
    y_.expect_map(sms, "channels.sms");
    y_.check_keys(sms, {"vendors", "primary", "effect"}, "channels.sms");
    if (sms["effect"])
      s.sms.effect = y_.parse(sms["effect"], parse_probability, "channels.sms.effect");
    const YAML::Node list = y_.require(sms, "vendors", "channels.sms");
    y_.expect_list(list, "channels.sms.vendors");
    for (const auto& v : list) {
      const std::string name = y_.scalar(v, "channels.sms.vendors");
      check_vendor(v, name, s, "channels.sms.vendors");
      s.sms.vendors.push_back(name);
    }
    if (s.sms.vendors.empty()) y_.fail(list, "channels.sms.vendors: list at least one vendor");
    if (const YAML::Node p = sms["primary"]) {
      s.sms.primary = y_.scalar(p, "channels.sms.primary");
      check_vendor(p, s.sms.primary, s, "channels.sms.primary");
    } else {
      s.sms.primary = s.sms.vendors.front();
    }
  }

  void parse_other_channels(const YAML::Node& n, Scenario& s) {
    auto prob = [&](const YAML::Node& block, const std::string& ctx, const char* key, double& out) {
      if (block[key]) out = y_.parse(block[key], parse_probability, ctx + "." + key);
    };
    auto dur = [&](const YAML::Node& block, const std::string& ctx, const char* key, SimTime& out) {
      if (block[key]) out = y_.parse(block[key], parse_duration, ctx + "." + key);
    };
    if (const YAML::Node p = n["push"]) {
      const std::string ctx = "channels.push";
      if (!p.IsNull()) {
        y_.expect_map(p, ctx);
        y_.check_keys(
            p, {"delay_median", "delay_sigma", "token_stale", "seen", "seen_delay_mean", "effect"},
            ctx);
        dur(p, ctx, "delay_median", s.push.delay_median);
        if (p["delay_sigma"])
          s.push.delay_sigma = y_.parse(p["delay_sigma"], parse_number, ctx + ".delay_sigma");
        prob(p, ctx, "token_stale", s.push.token_stale);
        prob(p, ctx, "seen", s.push.seen);
        dur(p, ctx, "seen_delay_mean", s.push.seen_delay_mean);
        prob(p, ctx, "effect", s.push.effect);
      }
      s.push.enabled = true;
    }
    if (const YAML::Node e = n["email"]) {
      const std::string ctx = "channels.email";
      if (!e.IsNull()) {
        y_.expect_map(e, ctx);
        y_.check_keys(e, {"inbox_rate", "open_rate", "open_delay_mean", "effect"}, ctx);
        prob(e, ctx, "inbox_rate", s.email.inbox_rate);
        prob(e, ctx, "open_rate", s.email.open_rate);
        dur(e, ctx, "open_delay_mean", s.email.open_delay_mean);
        prob(e, ctx, "effect", s.email.effect);
      }
      s.email.enabled = true;
    }
    if (const YAML::Node a = n["in_app"]) {
      const std::string ctx = "channels.in_app";
      if (!a.IsNull()) {
        y_.expect_map(a, ctx);
        y_.check_keys(a, {"opens_per_day", "effect"}, ctx);
        if (a["opens_per_day"]) {
          s.in_app.opens_per_day =
              y_.parse(a["opens_per_day"], parse_number, ctx + ".opens_per_day");
          if (!(s.in_app.opens_per_day > 0))
            y_.fail(a["opens_per_day"], ctx + ".opens_per_day: must be above 0");
        }
        prob(a, ctx, "effect", s.in_app.effect);
      }
      s.in_app.enabled = true;
    }
  }

  // Names in plug-in parameters must refer to things the scenario declares.
  void check_reference(const YAML::Node& at, const ParamSpec& spec, const std::string& text,
                       const Scenario& s, const std::string& key) {
    const bool star_ok = spec.default_value == "*" && text == "*";
    if (spec.kind == ParamKind::kVendor && !star_ok) check_vendor(at, text, s, key);
    if (spec.kind == ParamKind::kCarrier && !star_ok) {
      std::vector<std::string> known;
      for (const auto& c : s.carriers) known.push_back(c.name);
      if (std::find(known.begin(), known.end(), text) == known.end()) {
        std::string msg = key + ": unknown carrier '" + text + "'";
        if (const auto near = closest_match(text, known); !near.empty())
          msg += " (did you mean '" + near + "'?)";
        y_.fail(at, msg + "; declare carriers under infrastructure.carriers, or use * for all");
      }
    }
    if ((spec.kind == ParamKind::kChannel && !star_ok) || spec.kind == ParamKind::kChannelList) {
      for (const std::string& name : split_list(text)) {
        if (!channel_declared(channel_by_name(at, name, key), s))
          y_.fail(at, key + ": channel '" + name + "' is not declared under channels");
      }
    }
  }

  Channel channel_by_name(const YAML::Node& at, const std::string& name, const std::string& ctx) {
    for (int c = 0; c < kChannelCount; ++c)
      if (kChannelNames[c] == name) return static_cast<Channel>(c);
    y_.fail(at, ctx + ": unknown channel '" + name + "'; expected sms, push, email or in_app");
  }

  void check_vendor(const YAML::Node& at, const std::string& name, const Scenario& s,
                    const std::string& ctx) {
    if (s.vendor_index(name) >= 0) return;
    std::vector<std::string> known;
    for (const auto& v : s.vendors) known.push_back(v.name);
    std::string msg = ctx + ": unknown vendor '" + name + "'";
    if (const auto near = closest_match(name, known); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    y_.fail(at, msg + "; vendors declared under infrastructure.vendors: " + list);
  }

  Channel parse_channel(const YAML::Node& n, const Scenario& s, const std::string& ctx) {
    const std::string name = y_.scalar(n, ctx);
    for (int c = 0; c < kChannelCount; ++c) {
      if (kChannelNames[c] != name) continue;
      const auto ch = static_cast<Channel>(c);
      if (!channel_declared(ch, s))
        y_.fail(n, ctx + ": channel '" + name + "' is not declared under channels");
      return ch;
    }
    y_.fail(n, ctx + ": unknown channel '" + name + "'; expected sms, push, email or in_app");
  }

  void parse_reminders(const YAML::Node& n, Scenario& s) {
    y_.expect_list(n, "reminders");
    for (const auto& r : n) {
      y_.expect_map(r, "reminders[]");
      y_.check_keys(r, {"before_due", "after_due", "at", "channel", "spread"}, "reminders[]");
      ReminderRule rule;
      // Exactly one of before_due (a reminder) and after_due (a dunning reminder).
      if (r["before_due"] && r["after_due"])
        y_.fail(r["after_due"], "reminders[]: give before_due or after_due, not both");
      if (const YAML::Node a = r["after_due"]) {
        const SimTime after = y_.parse(a, parse_duration, "reminders[].after_due");
        if (after < kDay || after % kDay != 0)
          y_.fail(a, "reminders[].after_due: expected a whole number of days >= 1, e.g. 3d");
        rule.before_due_days = -static_cast<int>(after / kDay);
      } else {
        const YAML::Node b = y_.require(r, "before_due", "reminders[]");
        const SimTime before = y_.parse(b, parse_duration, "reminders[].before_due");
        if (before < 0 || before % kDay != 0)
          y_.fail(b, "reminders[].before_due: expected a whole number of days >= 0, e.g. 3d");
        rule.before_due_days = static_cast<int>(before / kDay);
      }
      if (r["at"]) rule.at = y_.parse(r["at"], parse_clock, "reminders[].at");
      if (const YAML::Node c = r["channel"])
        rule.channel = parse_channel(c, s, "reminders[].channel");
      if (const YAML::Node sp = r["spread"]) {
        rule.spread = y_.parse(sp, parse_duration, "reminders[].spread");
        if (rule.spread < 0 || rule.spread > s.horizon)
          y_.fail(sp, "reminders[].spread: expected a duration from 0 to the horizon, e.g. 3d");
      }
      s.reminders.push_back(rule);
    }
  }

  PluginUse parse_plugin(const YAML::Node& body, const PluginInfo& info, const std::string& ctx,
                         Scenario& s, SourceLoc loc, const std::string& skip_key = "") {
    PluginUse use;
    use.type = std::string(info.name);
    use.loc = loc;
    use.network = info.network;
    use.validate = info.validate;
    Keys allowed, old_keys;
    if (!skip_key.empty()) allowed.push_back(skip_key);
    for (const auto& p : info.params) allowed.emplace_back(p.name);
    for (const Renamed& r : info.renamed)
      if (!r.old_key.empty()) old_keys.emplace_back(r.old_key);
    if (body && !body.IsNull()) {
      y_.expect_map(body, ctx);
      y_.check_keys(body, allowed, ctx, old_keys);
    }
    for (const ParamSpec& spec : info.params) {
      std::string written(spec.name);
      // (A YAML::Node is never reassigned: assigning one writes through to the tree.)
      const YAML::Node v = [&]() -> YAML::Node {
        if (!body || !body.IsMap()) return YAML::Node();
        for (const Renamed& r : info.renamed)
          if (r.key == spec.name && !r.old_key.empty())
            return y_.renamed(body, written, std::string(r.old_key), ctx, s.warnings, &written);
        return body[written];
      }();
      ParamValue value;
      std::string error;
      const std::string key = ctx + "." + written;
      if (v && !v.IsNull()) {
        std::string text;
        if (spec.kind == ParamKind::kChannelList && v.IsSequence()) {
          for (const auto& item : v) text += (text.empty() ? "" : ",") + y_.scalar(item, key);
        } else {
          text = y_.scalar(v, key);
        }
        for (const Renamed& r : info.renamed) {
          if (r.key != spec.name || r.old_value.empty() || text != r.old_value) continue;
          s.warnings.push_back(y_.warning(
              v, key + ": '" + text + "' is deprecated: write '" + std::string(r.new_value) +
                     "' (the old value is accepted until the next release)"));
          text = r.new_value;
        }
        if (!parse_param(spec, text, value, error)) y_.fail(v, key + ": " + error);
        value.loc = YamlReader::loc(v);
        check_reference(v, spec, value.text, s, key);
      } else if (spec.default_value.empty()) {
        y_.fail(loc, ctx + ": missing required parameter '" + std::string(spec.name) + "' (" +
                         std::string(spec.help) + ")");
      } else if (!parse_param(spec, spec.default_value, value, error)) {
        throw std::logic_error("bad default for " + key + ": " + error);
      }
      use.params.set(std::string(spec.name), value);
    }
    return use;
  }

  const PluginInfo& find_plugin(const YAML::Node& at, const std::string& name,
                                std::span<const PluginInfo> catalogue, const std::string& ctx,
                                const char* what) {
    for (const auto& p : catalogue)
      if (p.name == name) return p;
    const auto known = names_of(catalogue);
    std::string msg = ctx + ": unknown " + what + " '" + name + "'";
    if (const auto near = closest_match(name, known); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    y_.fail(at, msg + "; known " + what + "s: " + list + " (see `faultline list " + what + "s`)");
  }

  void parse_faults(const YAML::Node& n, Scenario& s) {
    y_.expect_list(n, "faults");
    int index = 0;
    for (const auto& f : n) {
      const std::string ctx = "faults[" + std::to_string(index++) + "]";
      y_.expect_map(f, ctx);
      const YAML::Node type = y_.require(f, "type", ctx);
      const std::string name = y_.scalar(type, ctx + ".type");
      const PluginInfo& info = find_plugin(type, name, cat_.faults, ctx + ".type", "fault");
      s.faults.push_back(
          parse_plugin(f, info, ctx + " (" + name + ")", s, YamlReader::loc(f), "type"));
      check_fault_window(s.faults.back(), ctx + " (" + name + ")", s);
    }
  }

  // A fault that can never be active is a mistake, not a scenario: one that starts after
  // the horizon is refused; an outage of zero length (`duration: 0s`) is inert by design
  // (tests pin that), so it is a warning, printed by validate, run and check.
  void check_fault_window(const PluginUse& use, const std::string& ctx, Scenario& s) {
    const auto& all = use.params.all();
    const auto at = all.find("at"), duration = all.find("duration");
    if (at == all.end() || duration == all.end()) return;
    const SourceLoc at_loc = at->second.loc.line ? at->second.loc : use.loc;
    if (at->second.time >= s.horizon)
      y_.fail(at_loc, ctx + ".at: the fault starts at " + at->second.text +
                          ", at or after the horizon (" + format_duration(s.horizon) +
                          "); expected a start inside the horizon");
    if (duration->second.time <= 0) {
      const SourceLoc loc = duration->second.loc.line ? duration->second.loc : use.loc;
      s.warnings.push_back(y_.file() + ":" + std::to_string(loc.line) + ":" +
                           std::to_string(loc.column) + ": warning: " + ctx +
                           ".duration: a zero-length fault never happens; it changes nothing "
                           "(give it a duration, or remove it)");
    }
  }

  void parse_strategies(const YAML::Node& n, Scenario& s) {
    y_.expect_map(n, "strategies");
    for (auto it = n.begin(); it != n.end(); ++it) {
      StrategySpec st;
      st.name = y_.scalar(it->first, "strategies");
      st.loc = YamlReader::loc(it->first);
      for (const auto& other : s.strategies)
        if (other.name == st.name)
          y_.fail(it->first, "strategies: '" + st.name + "' appears twice");
      if (st.name == "all")
        y_.fail(it->first,
                "strategies: 'all' is reserved (in expect:, strategy: all means every strategy); "
                "choose another name, e.g. 'combined'");
      const std::string ctx = "strategies." + st.name;
      const YAML::Node body = it->second;
      if (body && !body.IsNull()) {
        y_.expect_map(body, ctx);
        for (auto m = body.begin(); m != body.end(); ++m) {
          const std::string name = y_.scalar(m->first, ctx);
          const PluginInfo& info = find_plugin(m->first, name, cat_.mitigations, ctx, "mitigation");
          for (const auto& used : st.mitigations)
            if (used.type == name)
              y_.fail(m->first, ctx + ": mitigation '" + name + "' appears twice");
          st.mitigations.push_back(
              parse_plugin(m->second, info, ctx + "." + name, s, YamlReader::loc(m->first)));
        }
      }
      s.strategies.push_back(std::move(st));
    }
    if (s.strategies.empty())
      y_.fail(n,
              "strategies: list at least one strategy; the first one (e.g. 'baseline: {}') is the "
              "reference");
  }

  void parse_limits(const YAML::Node& n, Scenario& s) {
    y_.expect_map(n, "limits");
    y_.check_keys(n, {"max_events"}, "limits");
    if (const auto m = n["max_events"]) {
      const long long v = y_.parse(m, parse_integer, "limits.max_events");
      if (v < 1) y_.fail(m, "limits.max_events: expected a whole number >= 1");
      s.limits.max_events = static_cast<std::uint64_t>(v);
    }
  }

  YamlReader y_;
  const Catalogues& cat_;
};

}  // namespace

Scenario parse_scenario_text(const std::string& text, const std::string& file_name,
                             const Catalogues& catalogues) {
  require_utf8(text, file_name);  // results.json must be able to carry every string
  check_yaml_depth(text, file_name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's own message is "yaml-cpp: error at line L, column C: msg"; keep only msg.
    throw ScenarioError(file_name, {e.mark.line + 1, e.mark.column + 1},
                        "not valid YAML: " + e.msg);
  }
  if (!root || root.IsNull())
    throw ScenarioError(file_name, {1, 1}, "the file is empty; expected a scenario mapping");
  check_yaml_nodes(root, file_name);
  Scenario s = Parser(file_name, catalogues).parse(root);
  s.file = file_name;
  s.text = text;
  s.sha256 = sha256_hex(text);
  if (s.sweep.enabled()) expand_sweep(s, catalogues);  // every point must be valid too
  return s;
}

Scenario parse_scenario_node(const YAML::Node& root, const std::string& file_name,
                             const Catalogues& catalogues) {
  return Parser(file_name, catalogues).parse(root);
}

Scenario parse_scenario_file(const std::string& path, const Catalogues& catalogues) {
  return parse_scenario_text(read_input_file(path, "scenario file", kMaxScenarioBytes), path,
                             catalogues);
}

}  // namespace faultline
