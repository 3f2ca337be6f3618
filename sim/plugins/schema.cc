#include "sim/plugins/schema.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "sim/metrics/metrics.h"
#include "sim/model/plugin.h"
#include "sim/scenario/units.h"

namespace faultline {

namespace {

using J = nlohmann::ordered_json;

std::string str(std::string_view s) {
  return std::string(s);
}

J ref(const char* def) {
  return J{{"$ref", std::string("#/$defs/") + def}};
}

// A key of a fixed block: the kind's definition plus what the key means.
J key(const char* def, std::string description, J default_value = nullptr) {
  J j = ref(def);
  j["description"] = std::move(description);
  if (!default_value.is_null()) j["default"] = std::move(default_value);
  return j;
}

// A mapping with exactly these keys (unknown keys are errors in the parser too).
J block(std::string description, J properties, std::vector<std::string> required = {}) {
  J j{{"type", "object"}, {"description", std::move(description)}};
  j["properties"] = std::move(properties);
  if (!required.empty()) j["required"] = required;
  j["additionalProperties"] = false;
  return j;
}

// The value kinds of sim/scenario/units.h, as the parser reads them. YAML scalars reach the
// parser as text, so a number written as a string ("20") is as good as 20.
J kind_defs() {
  constexpr const char* kDuration = R"(^ *(0|([0-9.]+ *(us|ms|s|min|m|h|d) *)+)$)";
  J d;
  d["duration"] = {{"description",
                    "a duration: a number and a unit (us, ms, s, m or min, h, d); parts add up, "
                    "e.g. 500ms, 90s, 15m, 48h, 3d, 1d 6h; 0 needs no unit"},
                   {"anyOf", {{{"type", "string"}, {"pattern", kDuration}}, {{"const", 0}}}}};
  d["instant"] = {
      {"description",
       "an instant from the scenario start (day 0, 00:00): '12d 22:00', '09:00' or a duration "
       "such as 36h"},
      {"anyOf",
       {ref("duration"),
        {{"type", "string"},
         {"pattern", R"(^ *([0-9]+ *d +)?[0-9]{1,2}:[0-9]{2}(:[0-9]{2})? *$)"}}}}};
  d["clock"] = {{"description", "a time of day, HH:MM or HH:MM:SS; quote it: \"09:00\""},
                {"type", "string"},
                {"pattern", R"(^ *[0-9]{1,2}:[0-9]{2}(:[0-9]{2})? *$)"}};
  d["rate"] = {{"description", "a rate: a number per s, min (m), h or d, e.g. 500/s, 20/min"},
               {"type", "string"},
               {"pattern", R"(^ *[0-9.]+ */ *(s|min|m|h|d) *$)"}};
  d["probability"] = {{"description", "a probability in [0, 1]: 38% or 0.38"},
                      {"anyOf",
                       {{{"type", "number"}, {"minimum", 0}, {"maximum", 1}},
                        {{"type", "string"},
                         {"pattern", R"(^ *\+?(100(\.0*)?|[0-9]{1,2}(\.[0-9]*)?|\.[0-9]+) *% *$)"}},
                        {{"type", "string"}, {"pattern", R"(^ *\+?(0|1|0?\.[0-9]+|1\.0*) *$)"}}}}};
  d["number"] = {{"description", "a number"},
                 {"anyOf",
                  {{{"type", "number"}},
                   {{"type", "string"}, {"pattern", R"(^ *[-+]?[0-9.]+([eE][-+]?[0-9]+)? *$)"}}}}};
  d["integer"] = {
      {"description", "a whole number; _ may group digits: 200_000"},
      {"anyOf",
       {{{"type", "integer"}}, {{"type", "string"}, {"pattern", R"(^ *[-+]?[0-9][0-9_]* *$)"}}}}};
  d["boolean"] = {
      {"description", "true or false"},
      {"anyOf", {{{"type", "boolean"}}, {{"enum", {"true", "false", "yes", "no", "on", "off"}}}}}};
  d["text"] = {{"description", "text"}, {"type", {"string", "number"}}};
  d["channel"] = {{"description", "a channel declared under channels"},
                  {"enum", {"sms", "push", "email", "in_app"}}};
  d["nothing"] = {{"description", "nothing to set: {} or empty"},
                  {"anyOf", {{{"type", "null"}}, {{"type", "object"}, {"maxProperties", 0}}}}};
  return d;
}

// The schema of one plug-in parameter, from its ParamSpec.
J param_schema(const PluginInfo& info, const ParamSpec& p) {
  const bool star = p.default_value == "*";
  std::string kind_words = to_string(p.kind);
  J j;
  switch (p.kind) {
    case ParamKind::kDuration:
      j = ref("duration");
      break;
    case ParamKind::kTimePoint:
      j = ref("instant");
      break;
    case ParamKind::kRate:
      j = ref("rate");
      break;
    case ParamKind::kProbability:
      j = ref("probability");
      break;
    case ParamKind::kNumber:
      j = ref("number");
      break;
    case ParamKind::kInteger:
      j = ref("integer");
      break;
    case ParamKind::kBoolean:
      j = ref("boolean");
      break;
    case ParamKind::kText:
      j = ref("text");
      break;
    case ParamKind::kVendor:
    case ParamKind::kCarrier:
      j = {{"type", "string"}};
      kind_words = p.kind == ParamKind::kVendor
                       ? "the name of a vendor under infrastructure.vendors"
                       : "the name of a carrier under infrastructure.carriers";
      if (star) kind_words += ", or * for all";
      break;
    case ParamKind::kChannel:
      j = {{"enum",
            star ? J{"sms", "push", "email", "in_app", "*"} : J{"sms", "push", "email", "in_app"}}};
      kind_words = star ? "a declared channel, or * for all" : "a declared channel";
      break;
    case ParamKind::kChannelList:
      j = {{"anyOf",
            {{{"type", "array"}, {"items", ref("channel")}, {"minItems", 1}},
             {{"type", "string"}}}}};
      kind_words = "a list of declared channels";
      break;
    case ParamKind::kChoice: {
      J values = J::array();
      std::string_view rest = p.choices;
      while (!rest.empty()) {
        const auto bar = rest.find('|');
        values.push_back(str(rest.substr(0, bar)));
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
      }
      kind_words = "one of " + str(p.choices);
      J current{{"enum", values}};
      J any = J::array({current});
      for (const Renamed& r : info.renamed)
        if (r.key == p.name && !r.old_value.empty())
          any.push_back({{"const", str(r.old_value)},
                         {"deprecated", true},
                         {"description", "deprecated: write " + str(r.new_value)}});
      j = any.size() == 1 ? current : J{{"anyOf", any}};
      break;
    }
  }
  j["description"] = str(p.help) + " (" + kind_words + "; " +
                     (p.default_value.empty() ? "required" : "default " + str(p.default_value)) +
                     ")";
  if (!p.default_value.empty()) {
    // The default as it would be written; numbers and booleans as such.
    J def = str(p.default_value);
    if (p.kind == ParamKind::kNumber || p.kind == ParamKind::kInteger) {
      if (const auto n = parse_number(p.default_value); n.ok()) def = n.value();
      if (p.kind == ParamKind::kInteger)
        if (const auto n = parse_integer(p.default_value); n.ok()) def = n.value();
    } else if (p.kind == ParamKind::kBoolean) {
      if (const auto b = parse_boolean(p.default_value); b.ok()) def = b.value();
    }
    j["default"] = def;
  }
  return j;
}

// One fault or mitigation: its parameters (and their old names, marked deprecated).
// `extra` names a key the body also holds (a fault's `type`).
J plugin_schema(const PluginInfo& info, const char* extra) {
  J props = J::object();
  if (extra) props[extra] = {{"const", str(info.name)}, {"description", str(info.summary)}};
  std::vector<std::string> required;
  J both_spellings = J::array();
  for (const ParamSpec& p : info.params) {
    props[str(p.name)] = param_schema(info, p);
    if (p.default_value.empty()) required.emplace_back(p.name);
  }
  for (const Renamed& r : info.renamed) {
    if (r.old_key.empty()) continue;
    for (const ParamSpec& p : info.params) {
      if (p.name != r.key) continue;
      J old = param_schema(info, p);
      old["deprecated"] = true;
      old["description"] =
          "deprecated: renamed to " + str(r.key) + "; " + old["description"].get<std::string>();
      props[str(r.old_key)] = old;
      both_spellings.push_back({{"required", {str(r.old_key), str(r.key)}}});
      // A required parameter may be written under its old name until the next release.
      if (const auto it = std::find(required.begin(), required.end(), str(r.key));
          it != required.end())
        required.erase(it);
    }
  }
  std::string description = str(info.summary);
  if (!info.effect.empty()) description += "\n\n" + str(info.effect);
  if (info.network) description += "\n\nNeeds engine: simgrid.";
  J j{{"type", required.empty() && !extra ? J{"object", "null"} : J("object")},
      {"description", description},
      {"properties", props}};
  if (!required.empty()) j["required"] = required;
  j["additionalProperties"] = false;
  // Giving both spellings is an error in the parser too.
  if (!both_spellings.empty()) j["not"] = {{"anyOf", both_spellings}};
  return j;
}

J names(std::span<const PluginInfo> catalogue) {
  J out = J::array();
  for (const PluginInfo& p : catalogue) out.push_back(str(p.name));
  return out;
}

J metric_names(bool with_families) {
  J out = J::array();
  for (const MetricInfo& m : kMetrics) out.push_back(str(m.name));
  // In expect:, `delivery_latency` with p50/p95/p99 in the assertion (expect_parser.cc).
  if (with_families) out.push_back("delivery_latency");
  return out;
}

J population_schema() {
  J behaviour = block(
      "how borrowers act on reminders (docs/model.md, \"Borrower behaviour\")",
      {{"forget_without_reminder",
        key("probability", "share who forget to pay without a reminder", "20%")},
       {"pay_after_reminder",
        key("probability", "share of forgetters a seen reminder prompts", "40%")},
       {"pay_delay_mean", key("duration", "mean delay from a seen reminder to paying", "6h")},
       {"unprompted_lead",
        key("duration", "how long before the due date unprompted payers pay", "3d")},
       {"cure_within_grace", key("probability", "late payers who pay within grace", "60%")},
       {"cure_after_failure",
        key("probability", "who gave up after a failed payment and pay within grace", "90%")},
       {"cure_before_reporting",
        key("probability", "missed payers who pay by 30 days past due", "50%")},
       {"reporting_threshold",
        key("duration", "days past due before reporting (at least grace)", "30d")},
       {"non_responders",
        key("probability", "share who never act on reminders (below 100%)", "0%")},
       {"overdue_reminder_cure",
        key("probability",
            "of borrowers who would not cure within grace, the share a seen overdue "
            "(after_due) reminder prompts to pay",
            "7.5%")},
       {"autopay_after_late_fee",
        key("probability",
            "over several cycles: who enrols in autopay after a late fee (assumption)", "5%")},
       {"forget_by_bucket",
        {{"type", "array"},
         {"items", ref("probability")},
         {"minItems", 3},
         {"maxItems", 3},
         {"default", {"50%", "65%", "80%"}},
         {"description",
          "over several cycles: forget_without_reminder of a borrower 1-29, 30-59 and "
          "60+ days past due (assumption)"}}}});
  J reachability = block("who can be reached on which channel, and autopay",
                         {{"app_users", key("probability", "borrowers with the app", "70%")},
                          {"push_opt_in", key("probability", "app users who allow push", "55%")},
                          {"email", key("probability", "borrowers with an e-mail address", "90%")},
                          {"autopay", key("probability", "borrowers paying by autopay", "16%")}});
  J product = block("a product: its share of borrowers and instalment amounts (lognormal)",
                    {{"share", key("probability", "share of borrowers")},
                     {"amount_median", key("number", "median instalment", 1000)},
                     {"amount_sigma", key("number", "lognormal shape, 0 to 3", 0.5)}},
                    {"share"});
  return block(
      "the borrowers: how many, when they are due, how they behave",
      {{"borrowers",
        {{"$ref", "#/$defs/integer"},
         {"minimum", 1},
         {"maximum", 100000000},
         {"description", "borrowers, one instalment each (1 to 100000000)"}}},
       {"due_day",
        {{"description",
          "the instalment is due at the end of that day: N or uniform(FIRST, LAST); quote it "
          "inside {…}"},
         {"anyOf",
          {{{"type", "integer"}, {"minimum", 0}},
           {{"type", "string"},
            {"pattern", R"(^ *([0-9]+|uniform\( *[0-9]+ *, *[0-9]+ *\)) *$)"}}}}}},
       {"grace", key("duration", "paid after the due day but within grace = late", "5d")},
       {"behaviour", behaviour},
       {"reachability", reachability},
       {"products",
        {{"type", "object"},
         {"description",
          "the portfolio: name → share, or name → {share, "
          "amount_median, amount_sigma}; shares add up to 100%"},
         {"additionalProperties", {{"anyOf", {ref("probability"), product}}}}}},
       {"cycles",
        {{"$ref", "#/$defs/integer"},
         {"minimum", 1},
         {"maximum", 120},
         {"default", 1},
         {"description",
          "instalments per borrower, one per cycle; state (days past due, autopay) carries "
          "over (docs/model.md, \"Cycles\")"}}},
       {"cycle",
        {{"description", "the cycle length: whole days, or 1 month (30d)"},
         {"default", "30d"},
         {"anyOf", {ref("duration"), {{"const", "1 month"}}, {{"const", "month"}}}}}}},
      {"borrowers", "due_day"});
}

J channels_schema() {
  J sms = block(
      "SMS through the listed vendors",
      {{"vendors",
        {{"type", "array"},
         {"items", {{"type", "string"}}},
         {"minItems", 1},
         {"description", "vendors declared under infrastructure.vendors"}}},
       {"primary",
        {{"type", "string"}, {"description", "the vendor used first (default: the first one)"}}},
       {"effect", key("probability", "weight of a seen SMS reminder", "100%")}},
      {"vendors"});
  auto optional = [](J b) {
    b["type"] = {"object", "null"};
    return b;
  };
  J push =
      optional(block("push notifications (declared = enabled; push: {} takes every default)",
                     {{"delay_median", key("duration", "median delivery delay", "8s")},
                      {"delay_sigma", key("number", "lognormal shape of the delay", 1.5)},
                      {"token_stale", key("probability", "push tokens no longer valid", "10%")},
                      {"seen", key("probability", "delivered pushes that are seen", "60%")},
                      {"seen_delay_mean", key("duration", "mean time until a push is seen", "2h")},
                      {"effect", key("probability", "weight of a seen push reminder", "80%")}}));
  J email = optional(
      block("e-mail (declared = enabled)",
            {{"inbox_rate", key("probability", "e-mails reaching the inbox", "85%")},
             {"open_rate", key("probability", "inbox e-mails opened", "40%")},
             {"open_delay_mean", key("duration", "mean time until opened", "6h")},
             {"effect", key("probability", "weight of an opened e-mail reminder", "10%")}}));
  J in_app =
      optional(block("in-app messages (declared = enabled)",
                     {{"opens_per_day", key("number", "app opens per day (above 0)", 0.3)},
                      {"effect", key("probability", "weight of an in-app reminder", "100%")}}));
  return block("the reminder channels; sms is required, the others exist when declared",
               {{"sms", sms}, {"push", push}, {"email", email}, {"in_app", in_app}}, {"sms"});
}

J infrastructure_schema() {
  J vendor_props = {
      {"capacity", key("rate", "FIFO send rate (required)")},
      {"failure_probability", key("probability", "failures per message, normally", "0")},
      {"validity", key("duration", "a message waiting longer in the queue expires", "72h")},
      {"cost_per_message", key("number", "adds up into sms_cost (>= 0)", 0)},
      {"first_attempt_failure",
       key("probability", "handsets off at the first attempt (stored and retried)", "0")},
      {"offline_mean", key("duration", "mean time until such a handset is back", "24h")},
      {"receipt_delay", key("duration", "delivery receipt delay", "5s")},
      {"receipt_loss", key("probability", "receipts lost in normal operation", "0")},
      {"false_delivered",
       key("probability", "undeliverable messages whose receipt still says delivered", "0")}};
  // Renamed by issue 12 (docs/scenarios.md, "Renamed keys").
  J dlr_delay = key("duration", "deprecated: renamed to receipt_delay");
  dlr_delay["deprecated"] = true;
  J dlr_loss = key("probability", "deprecated: renamed to receipt_loss");
  dlr_loss["deprecated"] = true;
  vendor_props["dlr_delay"] = dlr_delay;
  vendor_props["dlr_loss"] = dlr_loss;
  J vendor = block("an SMS vendor", vendor_props, {"capacity"});
  vendor["not"] = {{"anyOf",
                    {{{"required", {"dlr_delay", "receipt_delay"}}},
                     {{"required", {"dlr_loss", "receipt_loss"}}}}}};
  J carrier = block("a carrier: its share of borrowers and its delivery delay (lognormal)",
                    {{"share", key("probability", "share of borrowers; shares add up to 100%")},
                     {"delay_median", key("duration", "median delivery delay", "7s")},
                     {"delay_sigma", key("number", "lognormal shape, 0 to 5", 0.5)}});
  J link = block("a network link",
                 {{"bandwidth", key("text", "e.g. 1Gbps, 100MBps")},
                  {"latency", key("duration", "one-way latency")}},
                 {"bandwidth", "latency"});
  J route = block("a route between two hosts over named links",
                  {{"from", {{"type", "string"}}},
                   {"to", {{"type", "string"}}},
                   {"links", {{"type", "array"}, {"items", {{"type", "string"}}}}}},
                  {"from", "to", "links"});
  J network =
      block("the network for engine: simgrid (docs/engines.md)",
            {{"model",
              {{"enum", {"CM02", "LV08"}},
               {"description", "CM02 (latency + size/bandwidth) or LV08 (SimGrid's default)"}}},
             {"links", {{"type", "object"}, {"additionalProperties", link}}},
             {"routes", {{"type", "array"}, {"items", route}}},
             {"export_record_size", key("text", "bytes exported per borrower, e.g. 2KB")},
             {"send_window", key("duration", "how long an export may take to send")}});
  J j = block("vendors, carriers and (engine: simgrid) the network",
              {{"vendors",
                {{"type", "object"},
                 {"minProperties", 1},
                 {"description", "the SMS vendors by name"},
                 {"additionalProperties", vendor}}},
               {"carriers",
                {{"type", "object"},
                 {"minProperties", 1},
                 {"description", "the carriers by name (default: one, 7 s median delay)"},
                 {"additionalProperties", carrier}}},
               {"network", network},
               {"platform",
                {{"type", "string"},
                 {"description",
                  "a SimGrid platform XML (relative to the scenario's "
                  "folder), instead of network"}}}},
              {"vendors"});
  j["not"] = {{"required", {"network", "platform"}}};
  return j;
}

J payments_schema() {
  J rail = block("a payment rail",
                 {{"share", key("probability", "borrowers on this rail; shares add up to 100%")},
                  {"decline_rate", key("probability", "technical declines", "0")}},
                 {"share"});
  return block(
      "the payment journey's everyday rates (docs/model.md, \"Payment side\")",
      {{"app_share", key("probability", "attempts made in the app (app users)", "80%")},
       {"statement_lead", key("duration",
                              "the instalment appears in the core this long before "
                              "it is due",
                              "10d")},
       {"sync_interval", key("duration", "core → app sync period (0 = on write)", "0s")},
       {"backend", block("the payment backend",
                         {{"capacity", key("rate", "requests/s served", "400/s")},
                          {"background", key("rate", "the app's other traffic", "100/s")},
                          {"error_rate", key("probability", "everyday errors", "0")}})},
       {"link",
        block("reminder payment links", {{"share", key("probability", "links tapped", "0")},
                                         {"ttl", key("duration", "token lifetime", "24h")}})},
       {"otp", block("one-time passwords",
                     {{"sms_share", key("probability", "logins needing an SMS OTP", "0")},
                      {"validity", key("duration", "how long an OTP is valid", "5m")}})},
       {"risk", block("risk control", {{"false_positive",
                                        key("probability", "legitimate attempts blocked", "0")}})},
       {"rails",
        {{"type", "object"},
         {"minProperties", 1},
         {"description", "the rails by name (default: one rail card)"},
         {"additionalProperties", rail}}},
       {"retry",
        block("what borrowers do after a failure",
              {{"probability", key("probability", "retry after a failure", "50%")},
               {"delay_mean", key("duration", "mean delay before a retry", "10m")},
               {"max_attempts",
                {{"$ref", "#/$defs/integer"},
                 {"minimum", 1},
                 {"maximum", 20},
                 {"default", 4},
                 {"description", "attempts in a row, the first included (1-20)"}}},
               {"switch_channel",
                key("probability", "after a garbled app screen, retry on the web", "30%")},
               {"unconfirmed", key("probability", "pay again without a confirmation", "5%")},
               {"confirmation_patience", key("duration", "how long they wait for one", "5m")},
               {"support_contact",
                key("probability", "of those who give up, the share who contact support",
                    "20%")}})}});
}

J expect_schema() {
  J assertion = {
      {"description",
       "\"< 0.5%\", \"<= 2h\", \"p99 <= 2h\", \"delta <= +10%\", \"delta <= +0.5pp\" or "
       "{between: [A, B]}, in the metric's unit"},
      {"anyOf",
       {{{"type", "string"}},
        {{"type", "number"}},
        block("the interval lies within [A, B]",
              {{"between", {{"type", "array"}, {"minItems", 2}, {"maxItems", 2}}}}, {"between"})}}};
  J entry = block(
      "a claim about the results, judged on the confidence interval (docs/scenarios.md, expect)",
      {{"metric",
        {{"enum", metric_names(true)}, {"description", "a metric (faultline list metrics)"}}},
       {"strategy",
        {{"type", "string"},
         {"description", "a strategy's name, or all (default)"},
         {"default", "all"}}},
       {"assert", assertion},
       {"point",
        {{"$ref", "#/$defs/integer"},
         {"minimum", 0},
         {"description", "one sweep point (its index); default every point"}}},
       {"cycle",
        {{"$ref", "#/$defs/integer"},
         {"minimum", 1},
         {"description",
          "population.cycles > 1: the metric at the end of this cycle (1-based; a metric "
          "recorded per cycle); default the end of the run"}}},
       {"inconclusive",
        {{"enum", {"warn", "fail", "extend"}},
         {"default", "warn"},
         {"description", "what an INCONCLUSIVE verdict does"}}},
       {"max_replications",
        {{"$ref", "#/$defs/integer"},
         {"description", "with inconclusive: extend, the most replications"}}}},
      {"metric", "assert"});
  return {{"type", "array"},
          {"description", "expectations, judged by run and check"},
          {"items", entry}};
}

J sweep_schema() {
  J range = block("evenly spaced values, both ends included",
                  {{"from", {{"type", {"string", "number"}}}},
                   {"to", {{"type", {"string", "number"}}}},
                   {"steps", {{"$ref", "#/$defs/integer"}, {"minimum", 2}, {"maximum", 1000}}}},
                  {"from", "to", "steps"});
  J list = {
      {"type", "array"}, {"minItems", 1}, {"items", {{"type", {"string", "number", "boolean"}}}}};
  return {
      {"type", "object"},
      {"description",
       "values to vary: path (faults[0].duration, infrastructure.vendors.beta.capacity) → "
       "a list or {from, to, steps}; the grid of their values is run"},
      {"minProperties", 1},
      {"propertyNames",
       {{"pattern",
         R"(^(horizon|population|channels|infrastructure|reminders|faults|strategies|limits)([.\[].*)?$)"}}},
      {"additionalProperties", {{"anyOf", {list, range}}}}};
}

J precision_schema() {
  return block(
      "sequential sampling: add replications until the intervals are narrow enough",
      {{"metrics",
        {{"type", "object"},
         {"minProperties", 1},
         {"description", "metric → the largest confidence-interval half-width, in its unit"},
         {"propertyNames", {{"enum", metric_names(false)}}},
         {"additionalProperties", {{"type", {"string", "number"}}}}}},
       {"max_replications",
        {{"$ref", "#/$defs/integer"},
         {"minimum", 2},
         {"maximum", 100000},
         {"default", 200},
         {"description", "never run more (>= replications)"}}}},
      {"metrics"});
}

}  // namespace

std::string scenario_schema_text() {
  const Registry<FaultPlugin>& faults = fault_registry();
  const Registry<MitigationPlugin>& mitigations = mitigation_registry();
  J defs = kind_defs();
  J fault_defs = J::object(), mitigation_defs = J::object();
  J fault_dispatch = J::array();
  for (const PluginInfo& info : faults.catalogue()) {
    fault_defs[str(info.name)] = plugin_schema(info, "type");
    fault_dispatch.push_back(
        {{"if", {{"properties", {{"type", {{"const", str(info.name)}}}}}, {"required", {"type"}}}},
         {"then", {{"$ref", "#/$defs/fault/" + str(info.name)}}}});
  }
  J strategy_props = J::object();
  for (const PluginInfo& info : mitigations.catalogue()) {
    mitigation_defs[str(info.name)] = plugin_schema(info, nullptr);
    strategy_props[str(info.name)] = {{"$ref", "#/$defs/mitigation/" + str(info.name)}};
  }
  defs["fault"] = fault_defs;
  defs["mitigation"] = mitigation_defs;

  J fault_item = {{"type", "object"},
                  {"description", "one fault: type, when (at, duration, …) and its parameters"},
                  {"required", {"type"}},
                  {"properties",
                   {{"type",
                     {{"enum", names(faults.catalogue())},
                      {"description", "the fault (faultline list faults)"}}}}},
                  {"allOf", fault_dispatch}};
  J strategy = {{"type", {"object", "null"}},
                {"description", "mitigation name → its parameters; {} = no mitigation"},
                {"properties", strategy_props},
                {"additionalProperties", false}};
  J reminder = block(
      "one reminder rule: a batch per due day to everyone who has not paid",
      {{"before_due", key("duration", "whole days before the due day, e.g. 1d")},
       {"after_due",
        key("duration", "a dunning reminder: whole days after the due day (>= 1d), e.g. 3d")},
       {"at", key("clock", "time of day of the batch", "09:00")},
       {"channel",
        {{"$ref", "#/$defs/channel"},
         {"default", "sms"},
         {"description", "the channel (declared under channels)"}}},
       {"spread", key("duration", "pace the batch over this window (0 to the horizon)", "0")}});
  // Exactly one of before_due and after_due, as the parser requires.
  for (const char* k : {"before_due", "after_due"})
    reminder["oneOf"].push_back(J{{"required", J::array({k})}});

  J props = {
      {"scenario",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "the name; also the default output folder"}}},
      {"description", {{"type", "string"}, {"description", "shown in results and reports"}}},
      {"horizon", key("duration", "simulated time; covers the last due date plus grace", "35d")},
      {"seed",
       {{"$ref", "#/$defs/integer"},
        {"minimum", 0},
        {"default", 1},
        {"description", "base seed; --seed overrides"}}},
      {"replications",
       {{"$ref", "#/$defs/integer"},
        {"minimum", 1},
        {"maximum", 100000},
        {"default", 1},
        {"description", "independent replications per strategy"}}},
      {"confidence", key("probability", "level of every interval, in [50%, 100%)", "95%")},
      {"population", population_schema()},
      {"channels", channels_schema()},
      {"infrastructure", infrastructure_schema()},
      {"reminders",
       {{"type", "array"}, {"description", "the reminder rules"}, {"items", reminder}}},
      {"faults",
       {{"type", {"array", "null"}},
        {"description", "the faults that hit the system"},
        {"items", fault_item}}},
      {"strategies",
       {{"type", "object"},
        {"minProperties", 1},
        {"description",
         "the strategies to compare; the first is the reference (often baseline: {})"},
        {"propertyNames", {{"not", {{"const", "all"}}}}},
        {"additionalProperties", strategy}}},
      {"payments", payments_schema()},
      {"engine",
       {{"enum", {"native", "simgrid"}},
        {"default", "native"},
        {"description", "the simulation engine; network faults need simgrid"}}},
      {"limits", block("run limits", {{"max_events",
                                       {{"$ref", "#/$defs/integer"},
                                        {"minimum", 1},
                                        {"default", 2000000000},
                                        {"description", "end a runaway run"}}}})},
      {"sweep", sweep_schema()},
      {"precision", precision_schema()},
      {"expect", expect_schema()}};

  J schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "faultline scenario"},
              {"description",
               "A faultline scenario: the world, the faults that hit it and the strategies to "
               "compare (docs/scenarios.md). Generated by `faultline schema`."},
              {"type", "object"},
              {"required",
               {"scenario", "population", "channels", "infrastructure", "reminders", "strategies"}},
              {"properties", props},
              {"additionalProperties", false},
              {"$defs", defs}};
  return schema.dump(2) + "\n";
}

}  // namespace faultline
