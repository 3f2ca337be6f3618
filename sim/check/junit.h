// JUnit XML for CI servers (GitHub, GitLab, Jenkins all read it): one <testsuite> per
// scenario, one <testcase> per expectation × strategy (× sweep point), classname = the
// scenario's name, with the YAML file and line. FAIL → <failure> carrying the estimate,
// the interval and the reproduce command; INCONCLUSIVE that fails (policy fail, --strict)
// → <failure type="INCONCLUSIVE">; otherwise INCONCLUSIVE and SKIPPED → <skipped>.
// Every text and attribute is escaped; characters XML 1.0 forbids are replaced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/check/scenario_check.h"

namespace faultline {

std::string junit_xml(const std::vector<ScenarioCheck>& checks);

// XML-escapes text for element content and attribute values (both quotes included).
std::string xml_escape(std::string_view text);

}  // namespace faultline
