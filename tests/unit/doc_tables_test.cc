// The tables in docs/ that come from the registries and the metric catalogue: every block
// between "<!-- faultline list ARGS -->" and "<!-- end faultline list -->" must be exactly
// what `faultline list ARGS` prints today (scripts/update-doc-tables.sh regenerates them),
// so the docs cannot drift from the plug-ins' own descriptions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "sim/model/registry.h"
#include "sim/plugins/listing.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/units.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(DocTables, EveryGeneratedTableMatchesTheRegistry) {
  const std::regex block("<!-- faultline list (.*?) -->\n([^]*?)<!-- end faultline list -->");
  int tables = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    for (auto m = std::sregex_iterator(text.begin(), text.end(), block);
         m != std::sregex_iterator(); ++m) {
      ++tables;
      const std::string args = (*m)[1];
      EXPECT_EQ((*m)[2].str(), catalogue_listing(words(args)))
          << entry.path().filename() << ", faultline list " << args
          << ": run scripts/update-doc-tables.sh";
    }
  }
  // docs/scenarios.md: faults' and mitigations' parameters; docs/model.md: their effects.
  EXPECT_GE(tables, 4);
}

// docs/model.md's "| parameter | default | meaning and source |" tables (issue 18: honest
// defaults): every row's default is the code's, and every row names a source (a
// confidence grade "— A", "(B)", ...) or says "assumption".
double doc_value(std::string text);

double code_default(const std::string& key) {
  const BehaviourSpec b;
  const ReachabilitySpec r;
  const PopulationSpec pop;
  const VendorSpec v;
  const CarrierSpec c;
  const PaymentsSpec p;
  const std::map<std::string, double> code = {
      {"app_users", r.app_users},
      {"push_opt_in", r.push_opt_in},
      {"email", r.email},
      {"autopay", r.autopay},
      {"forget_without_reminder", b.forget_without_reminder},
      {"unprompted_lead", static_cast<double>(b.unprompted_lead)},
      {"pay_after_reminder", b.pay_after_reminder},
      {"pay_delay_mean", static_cast<double>(b.pay_delay_mean)},
      {"cure_within_grace", b.cure_within_grace},
      {"cure_after_failure", b.cure_after_failure},
      {"grace", static_cast<double>(pop.grace)},
      {"cure_before_reporting", b.cure_before_reporting},
      {"reporting_threshold", static_cast<double>(b.reporting_threshold)},
      {"non_responders", b.non_responders},
      {"overdue_reminder_cure", b.overdue_reminder_cure},
      {"autopay_after_late_fee", b.autopay_after_late_fee},
      {"forget_by_bucket[0]", b.forget_by_bucket[0]},
      {"forget_by_bucket[1]", b.forget_by_bucket[1]},
      {"forget_by_bucket[2]", b.forget_by_bucket[2]},
      {"first_attempt_failure", v.first_attempt_failure},
      {"offline_mean", static_cast<double>(v.offline_mean)},
      {"validity", static_cast<double>(v.validity)},
      {"failure_probability", v.failure_probability},
      {"receipt_delay", static_cast<double>(v.receipt_delay)},
      {"receipt_loss", v.receipt_loss},
      {"false_delivered", v.false_delivered},
      {"delay_median", static_cast<double>(c.delay_median)},
      {"delay_sigma", c.delay_sigma},
      {"app_share", p.app_share},
      {"statement_lead", static_cast<double>(p.statement_lead)},
      {"sync_interval", static_cast<double>(p.sync_interval)},
      {"retry.probability", p.retry_probability},
      {"retry.delay_mean", static_cast<double>(p.retry_delay_mean)},
      {"retry.max_attempts", p.max_attempts},
      {"retry.switch_channel", p.switch_channel},
      {"retry.unconfirmed", p.unconfirmed_retry},
      {"retry.confirmation_patience", static_cast<double>(p.confirmation_patience)},
      {"retry.support_contact", p.support_contact},
  };
  const auto it = code.find(key);
  // A mitigation's parameter, `plugin.param`: the registry's default.
  if (const auto dot = key.find('.'); it == code.end() && dot != std::string::npos)
    if (const MitigationPlugin* m = mitigation_registry().find(key.substr(0, dot)))
      for (const ParamSpec& spec : m->info.params)
        if (spec.name == key.substr(dot + 1)) return doc_value(std::string(spec.default_value));
  if (it == code.end())
    throw std::out_of_range("docs/model.md documents a default for `" + key +
                            "` that this test does not know");
  return it->second;
}

// "20 %", "3 d", "10 min", "0.5", "4" as the docs write them.
double doc_value(std::string text) {
  std::erase(text, ' ');
  if (text.ends_with('%')) return parse_probability(text).value();
  if (const auto d = parse_duration(text); d.ok()) return static_cast<double>(d.value());
  return parse_number(text).value();
}

TEST(DocTables, ModelDefaultsEqualTheCodeAndNameASource) {
  std::ifstream in(fs::path(FAULTLINE_SOURCE_DIR) / "docs" / "model.md");
  const std::regex header(R"(^\| (rule or )?parameter \| default \| meaning and source \|$)");
  const std::regex row(R"(^\| `([a-z_.]+)` \| ([^|]+) \| (.*) \|$)");
  const std::regex sourced(R"(assumption|— [ABC]|\([ABC](/[ABC])?\))");
  bool in_table = false;
  int rows = 0;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, header)) {
      in_table = true;
      continue;
    }
    if (!line.starts_with('|')) in_table = false;
    std::smatch m;
    if (!in_table || !std::regex_match(line, m, row)) continue;
    ++rows;
    const std::string key = m[1];
    // A list default ("50 %, 65 %, 80 %") is checked element by element.
    std::stringstream values(m[2].str());
    int k = 0;
    for (std::string value; std::getline(values, value, ','); ++k) {
      const std::string element =
          m[2].str().find(',') == std::string::npos ? key : key + "[" + std::to_string(k) + "]";
      EXPECT_DOUBLE_EQ(doc_value(value), code_default(element)) << "docs/model.md: `" << key << "`";
    }
    EXPECT_TRUE(std::regex_search(m[3].str(), sourced))
        << "docs/model.md: `" << key << "` names neither a source nor \"assumption\"";
  }
  // Reachability 4, behaviour 10, store and forward 9, payment journey 10; dunning 1,
  // collections_call 3 and cycles 2 (issue 18).
  EXPECT_EQ(rows, 39);
}

TEST(DocTables, ListingRejectsWhatItDoesNotKnow) {
  EXPECT_THROW(catalogue_listing({}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"toxics"}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"faults", "--format", "html"}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"faults", "--table"}), std::invalid_argument);
  const std::string md = catalogue_listing({"faults", "--format", "markdown"});
  EXPECT_EQ(md.rfind("| fault | parameters (defaults) |\n|---|---|\n", 0), 0u);
  EXPECT_NE(md.find("| `vendor_outage` | `target` (vendor, required), `mode` (`reject` \\| "),
            std::string::npos);
  EXPECT_NE(md.find("| `link_outage` (engine: simgrid) |"), std::string::npos);
  EXPECT_EQ(md.find("`onset_spread`"), std::string::npos) << "shared schedule parameters: once";
  EXPECT_NE(catalogue_listing({"metrics", "--format", "markdown"})
                .find("| `missed_payment_rate` | ratio |"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline
