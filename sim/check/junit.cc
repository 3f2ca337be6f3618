#include "sim/check/junit.h"

#include <cstdio>

#include "sim/check/format.h"
#include "sim/util/escape.h"

namespace faultline {

std::string xml_escape(std::string_view text) {
  return escape_markup(text);
}

namespace {

std::string details(const ScenarioCheck& c, const Outcome& o) {
  std::string d = describe_outcome(o, c.confidence) + "\n";
  d += "strategy: " + o.strategy + "\n";
  d += "replications: " + std::to_string(o.n) + "\n";
  if (o.pairing != Pairing::kNone)
    d += std::string("baseline comparison: ") + to_string(o.pairing) + "\n";
  d += (o.kind == Outcome::Kind::kPrecision ? "precision target: " : "expectation: ") + c.file +
       (o.expectation.loc.line > 0 ? ":" + std::to_string(o.expectation.loc.line)
                                   : std::string(" (command line)")) +
       "\n";
  d += "reproduce: " + c.reproduce + "\n";
  return d;
}

}  // namespace

std::string junit_xml(const std::vector<ScenarioCheck>& checks) {
  int tests = 0, failures = 0, skipped = 0, errors = 0;
  std::string suites;
  for (const ScenarioCheck& c : checks) {
    int t = 0, f = 0, s = 0, e = 0;
    std::string cases;
    const std::string classname = xml_escape(c.name);
    if (!c.error.empty()) {
      ++t, ++e;
      cases += "    <testcase name=\"run\" classname=\"" + classname + "\" file=\"" +
               xml_escape(c.file) + "\" time=\"0\">\n      <error message=\"" +
               xml_escape(c.error) + "\"/>\n    </testcase>\n";
    }
    for (const Outcome& o : c.evaluation.outcomes) {
      ++t;
      cases += "    <testcase name=\"" + xml_escape(o.name()) + "\" classname=\"" + classname +
               "\" file=\"" + xml_escape(c.file) + "\" line=\"" +
               std::to_string(o.expectation.loc.line) + "\" time=\"0\">\n";
      // How a `delta` met its baseline, where CI servers show test properties.
      if (o.pairing != Pairing::kNone)
        cases += "      <properties><property name=\"baseline_comparison\" value=\"" +
                 std::string(to_string(o.pairing)) + "\"/></properties>\n";
      if (o.fails) {
        ++f;
        cases += "      <failure type=\"" + std::string(to_string(o.verdict)) + "\" message=\"" +
                 xml_escape(describe_outcome(o, c.confidence)) + "\">" + xml_escape(details(c, o)) +
                 "</failure>\n";
      } else if (o.verdict != Verdict::kPass) {
        ++s;
        cases +=
            "      <skipped message=\"" + xml_escape(describe_outcome(o, c.confidence)) + "\"/>\n";
      } else {
        cases += "      <system-out>" + xml_escape(describe_outcome(o, c.confidence)) +
                 "</system-out>\n";
      }
      cases += "    </testcase>\n";
    }
    char seed[32];
    std::snprintf(seed, sizeof seed, "%llu", static_cast<unsigned long long>(c.seed));
    suites += "  <testsuite name=\"" + classname + "\" tests=\"" + std::to_string(t) +
              "\" failures=\"" + std::to_string(f) + "\" errors=\"" + std::to_string(e) +
              "\" skipped=\"" + std::to_string(s) + "\" time=\"0\" file=\"" + xml_escape(c.file) +
              "\">\n    <properties>\n" + "      <property name=\"seed\" value=\"" + seed +
              "\"/>\n" + "      <property name=\"replications\" value=\"" +
              std::to_string(c.replications) + "\"/>\n" +
              "      <property name=\"scenario_sha256\" value=\"" + xml_escape(c.sha256) +
              "\"/>\n" + "      <property name=\"reproduce\" value=\"" + xml_escape(c.reproduce) +
              "\"/>\n" + "    </properties>\n" + cases + "  </testsuite>\n";
    tests += t, failures += f, skipped += s, errors += e;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"faultline check\" "
         "tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"0\">\n" +
         suites + "</testsuites>\n";
}

}  // namespace faultline
