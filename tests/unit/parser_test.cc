// The scenario parser: a valid file becomes the expected typed Scenario, and every kind of
// mistake becomes "file:line:col: what is wrong, what was expected".
#include "sim/scenario/parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/model/plugin.h"

namespace faultline {
namespace {

const char* kValid = R"(scenario: t
horizon: 20d
seed: 11
replications: 3
population:
  borrowers: 1000
  due_day: uniform(2, 10)
  behaviour: {pay_after_reminder: 50%}
channels:
  sms: {vendors: [alpha, beta], primary: alpha}
infrastructure:
  vendors:
    alpha: {capacity: 500/s, failure_probability: 5%}
    beta: {capacity: 20/min}
reminders:
  - {before_due: 3d, at: "08:30"}
faults:
  - {type: vendor_outage, target: alpha, at: 4d 22:00, duration: 6h}
strategies:
  baseline: {}
  failover: {vendor_failover: {secondary: beta}}
)";

Scenario parse(const std::string& text) {
  return parse_scenario_text(text, "s.yaml", builtin_catalogues());
}

// Parses `text` expecting failure; returns the error message.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Parser, ReadsAValidScenario) {
  const Scenario s = parse(kValid);
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.horizon, 20 * kDay);
  EXPECT_EQ(s.seed, 11u);
  EXPECT_EQ(s.replications, 3);
  EXPECT_EQ(s.population.borrowers, 1000u);
  EXPECT_EQ(s.population.due_day_min, 2);
  EXPECT_EQ(s.population.due_day_max, 10);
  EXPECT_DOUBLE_EQ(s.population.behaviour.pay_after_reminder, 0.5);
  EXPECT_DOUBLE_EQ(s.population.behaviour.forget_without_reminder, 0.2) << "default kept";
  ASSERT_EQ(s.vendors.size(), 2u);
  EXPECT_DOUBLE_EQ(s.vendors[1].capacity_per_s, 20.0 / 60);
  EXPECT_EQ(s.reminders[0].before_due_days, 3);
  EXPECT_EQ(s.reminders[0].at, 8 * kHour + 30 * kMinute);
  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].params.time("at"), 4 * kDay + 22 * kHour);
  EXPECT_EQ(s.faults[0].params.text("mode"), "silent_drop") << "default filled in";
  ASSERT_EQ(s.strategies.size(), 2u);
  EXPECT_EQ(s.strategies[1].mitigations[0].params.time("window"), 15 * kMinute);
  EXPECT_EQ(s.strategies[1].mitigations[0].params.text("detect"), "receipt_rate");
  EXPECT_EQ(s.carriers.size(), 1u) << "a default carrier when none is declared";
  EXPECT_EQ(s.sha256.size(), 64u);
}

TEST(Parser, UnknownKeyIsLocatedAndTheClosestKeySuggested) {
  const std::string msg = error_of(replace(kValid, "  borrowers: 1000", "  borowers: 1000"));
  EXPECT_EQ(
      msg.rfind("s.yaml:6:3: population: unknown key 'borowers' (did you mean 'borrowers'?)", 0),
      0u)
      << msg;
}

TEST(Parser, BadValueNamesTheKeyAndTheExpectedForm) {
  const std::string msg = error_of(replace(kValid, "capacity: 500/s", "capacity: 500"));
  EXPECT_EQ(
      msg,
      "s.yaml:13:23: infrastructure.vendors.alpha.capacity: '500' has no unit: expected a rate "
      "such as 500/s, 20/min, 100/h or 1000/d");
}

TEST(Parser, ProbabilityOutOfRange) {
  const std::string msg =
      error_of(replace(kValid, "failure_probability: 5%", "failure_probability: 105%"));
  EXPECT_NE(
      msg.find(
          "s.yaml:13:51: infrastructure.vendors.alpha.failure_probability: '105%' is out of range"),
      std::string::npos)
      << msg;
}

TEST(Parser, UnknownVendorReferenceSuggestsDeclaredOnes) {
  const std::string msg = error_of(replace(kValid, "target: alpha", "target: alpah"));
  EXPECT_NE(msg.find("s.yaml:18:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown vendor 'alpah' (did you mean 'alpha'?)"), std::string::npos) << msg;
}

TEST(Parser, UnknownFaultTypeListsTheCatalogue) {
  const std::string msg = error_of(replace(kValid, "type: vendor_outage", "type: vendor_outag"));
  EXPECT_NE(msg.find("s.yaml:18:12: faults[0].type: unknown fault 'vendor_outag' (did you mean "
                     "'vendor_outage'?)"),
            std::string::npos)
      << msg;
}

TEST(Parser, UnknownFaultParameterIsRejected) {
  const std::string msg = error_of(replace(kValid, "duration: 6h", "duraton: 6h"));
  EXPECT_NE(msg.find("unknown key 'duraton' (did you mean 'duration'?)"), std::string::npos) << msg;
}

TEST(Parser, MissingRequiredParameter) {
  const std::string msg =
      error_of(replace(kValid, "{vendor_failover: {secondary: beta}}", "{vendor_failover: {}}"));
  EXPECT_NE(msg.find("s.yaml:21:14: strategies.failover.vendor_failover: missing required "
                     "parameter 'secondary'"),
            std::string::npos)
      << msg;
}

TEST(Parser, ChoiceParameterListsTheChoices) {
  const std::string msg =
      error_of(replace(kValid, "duration: 6h}", "duration: 6h, mode: explode}"));
  EXPECT_NE(msg.find("'explode' is not one of: reject,silent_drop"), std::string::npos) << msg;
}

TEST(Parser, StrategyNamedAllIsReserved) {
  // `strategy: all` in expect: means every strategy, so a strategy cannot be called that.
  const std::string msg =
      error_of(replace(kValid, "  failover: {vendor_failover", "  all: {vendor_failover"));
  EXPECT_NE(msg.find("s.yaml:21:3: strategies: 'all' is reserved"), std::string::npos) << msg;
}

TEST(Parser, PaymentsBlockIsReadAndDefaulted) {
  const Scenario plain = parse(kValid);
  ASSERT_EQ(plain.payments.rails.size(), 1u);
  EXPECT_EQ(plain.payments.rails[0].name, "card");
  EXPECT_EQ(plain.payments.otp_sms_share, 0.0);
  const Scenario s =
      parse(std::string(kValid) +
            "payments:\n  link: {share: 40%, ttl: 30m}\n  rails:\n"
            "    card: {share: 70%, decline_rate: 2%}\n    quick_pay: {share: 30%}\n");
  EXPECT_EQ(s.payments.link_share, 0.4);
  EXPECT_EQ(s.payments.link_ttl, 30 * kMinute);
  ASSERT_EQ(s.payments.rails.size(), 2u);
  EXPECT_EQ(s.payments.rail_index("quick_pay"), 1);
  EXPECT_EQ(s.payments.rails[0].decline_rate, 0.02);
  const std::string msg = error_of(std::string(kValid) + "payments:\n  retry: {max_attempts: 0}\n");
  EXPECT_NE(msg.find("s.yaml:23:25: payments.retry.max_attempts: expected 1 to 20"),
            std::string::npos)
      << msg;
}

TEST(Parser, InvalidYamlIsLocated) {
  const std::string msg = error_of("scenario: t\npopulation: {borrowers: 10\n");
  EXPECT_EQ(msg.rfind("s.yaml:3:1: not valid YAML", 0), 0u) << msg;
}

TEST(Parser, DuplicateKeyIsRejected) {
  const std::string msg = error_of(replace(kValid, "seed: 11\n", "seed: 11\nseed: 12\n"));
  EXPECT_NE(msg.find("s.yaml:4:1: top level: key 'seed' appears twice"), std::string::npos) << msg;
}

TEST(Parser, HorizonMustCoverEveryDueDatePlusGrace) {
  const std::string msg = error_of(replace(kValid, "horizon: 20d", "horizon: 12d"));
  EXPECT_NE(msg.find("plus grace (5d) ends after the horizon (12d)"), std::string::npos) << msg;
}

TEST(Parser, MissingTopLevelBlock) {
  const std::string msg = error_of(replace(
      kValid, "strategies:\n  baseline: {}\n  failover: {vendor_failover: {secondary: beta}}\n",
      ""));
  EXPECT_NE(msg.find("top level: missing required key 'strategies'"), std::string::npos) << msg;
}

TEST(Parser, WrongShapeIsExplained) {
  const std::string msg = error_of(
      replace(kValid, "reminders:\n  - {before_due: 3d, at: \"08:30\"}", "reminders: daily"));
  EXPECT_NE(msg.find("reminders: expected a list, found a single value"), std::string::npos) << msg;
}

TEST(Parser, CarrierSharesMustAddUpToOne) {
  const std::string text = replace(kValid, "    beta: {capacity: 20/min}\n",
                                   "    beta: {capacity: 20/min}\n  carriers:\n    east: {share: "
                                   "60%}\n    west: {share: 30%}\n");
  EXPECT_NE(error_of(text).find("shares add up to 0.9"), std::string::npos) << error_of(text);
}

TEST(Parser, UnreadableFile) {
  try {
    parse_scenario_file("/nonexistent/x.yaml", builtin_catalogues());
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "/nonexistent/x.yaml: cannot open the scenario file (does it exist and is it readable?)");
  }
}

TEST(Parser, EmptyFile) {
  EXPECT_EQ(error_of(""), "s.yaml:1:1: the file is empty; expected a scenario mapping");
}

// Keys and values renamed for one name per concept (receipt, not dlr; max_retries counts
// re-sends) are still read for one release, each with a located warning.
TEST(Parser, RenamedKeysAndValuesAreReadWithAWarning) {
  std::string old = replace(kValid, "alpha: {capacity: 500/s, failure_probability: 5%}",
                            "alpha: {capacity: 500/s, failure_probability: 5%, dlr_delay: 30s, "
                            "dlr_loss: 2%}");
  old = replace(old, "duration: 6h}", "duration: 6h, mode: dlr_loss}");
  old = replace(old, "failover: {vendor_failover: {secondary: beta}}",
                "failover: {vendor_failover: {secondary: beta, detect: dlr_rate}}\n"
                "  retry: {notification_retry: {max_attempts: 3}}");
  const Scenario s = parse(old);
  EXPECT_EQ(s.vendors[0].receipt_delay, 30 * kSecond);
  EXPECT_DOUBLE_EQ(s.vendors[0].receipt_loss, 0.02);
  EXPECT_EQ(s.faults[0].params.text("mode"), "receipt_loss");
  EXPECT_EQ(s.strategies[1].mitigations[0].params.text("detect"), "receipt_rate");
  EXPECT_EQ(s.strategies[2].mitigations[0].params.number("max_retries"), 3);
  ASSERT_EQ(s.warnings.size(), 5u);
  EXPECT_EQ(s.warnings[0],
            "s.yaml:13:55: warning: infrastructure.vendors.alpha.dlr_delay is deprecated: write "
            "receipt_delay (the old name is accepted until the next release)");
  EXPECT_NE(s.warnings[2].find("s.yaml:18:76: warning: faults[0] (vendor_outage).mode: "
                               "'dlr_loss' is deprecated: write 'receipt_loss'"),
            std::string::npos)
      << s.warnings[2];
  EXPECT_NE(s.warnings[4].find("strategies.retry.notification_retry.max_attempts is deprecated: "
                               "write max_retries"),
            std::string::npos)
      << s.warnings[4];
  EXPECT_TRUE(parse(kValid).warnings.empty());
  // Both spellings at once is an error; the old names are never suggested for a typo.
  EXPECT_NE(error_of(replace(kValid, "beta: {capacity: 20/min}",
                             "beta: {capacity: 20/min, receipt_delay: 1s, dlr_delay: 2s}"))
                .find("'dlr_delay' is the old name of 'receipt_delay'; give only 'receipt_delay'"),
            std::string::npos);
  const std::string typo =
      error_of(replace(kValid, "beta: {capacity: 20/min}", "beta: {capacity: 20/min, dlr: 1s}"));
  EXPECT_NE(typo.find("unknown key 'dlr'"), std::string::npos) << typo;
  EXPECT_EQ(typo.find("dlr_delay"), std::string::npos) << typo;
}

TEST(Parser, LoadScenarioPrintsTheWarnings) {
  const std::string path = ::testing::TempDir() + "renamed.yaml";
  {
    std::ofstream out(path);
    out << replace(kValid, "failover: {vendor_failover: {secondary: beta}}",
                   "failover: {vendor_failover: {secondary: beta, detect: dlr_rate}}");
  }
  std::ostringstream warnings;
  const Scenario s = load_scenario(path, &warnings);
  EXPECT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(warnings.str(), s.warnings[0] + "\n");
  EXPECT_EQ(warnings.str().rfind(path + ":", 0), 0u) << warnings.str();
}

}  // namespace
}  // namespace faultline
