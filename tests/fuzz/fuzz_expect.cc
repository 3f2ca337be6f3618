// libFuzzer target: the expectation parser (sim/scenario/expect_parser.h). The first
// byte chooses what the rest is: an assertion string ("< 0.5%", "p99 <= 2h",
// "delta <= +10%") parsed for a metric the byte also picks, or a YAML `expect:` list
// read against a scenario with strategies `baseline` and `failover`, as the scenario
// parser calls it. A ScenarioError (file:line:col, exit 2) is the expected way to refuse
// an input; anything else escaping — another exception, a crash, a sanitizer report — is
// a bug.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/metrics/metrics.h"
#include "sim/scenario/error.h"
#include "sim/scenario/expect_parser.h"
#include "sim/scenario/yaml_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode % 2 == 0) {
    Expectation e;
    const int pick = (mode / 2) % (kMetricCount + 2);
    // Every metric, the latency family (needs a quantile prefix) and an unknown name.
    e.metric = pick < kMetricCount    ? std::string(kMetrics[pick].name)
               : pick == kMetricCount ? std::string("delivery_latency")
                                      : std::string("no_such_metric");
    (void)parse_assertion(text, e);
    return 0;
  }
  Scenario s;
  for (const char* name : {"baseline", "failover"}) {
    StrategySpec strategy;
    strategy.name = name;
    s.strategies.push_back(strategy);
  }
  const std::string file = "fuzz.yaml";
  try {
    check_yaml_depth(text, file);  // as parse_scenario_text does before yaml-cpp
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception&) {
      return 0;  // the scenario parser turns this into a ScenarioError
    }
    check_yaml_nodes(root, file);
    parse_expectations(YamlReader(file), root, s);
  } catch (const ScenarioError&) {
  }
  return 0;
}
