// libFuzzer target: the scenario loader as `faultline validate` runs it — the text parsed
// against the built-in fault and mitigation catalogues (sweeps expanded, every point
// validated), then every strategy's plug-ins configured together (check_plugins). A
// ScenarioError (file:line:col, exit 2) is the expected way to refuse an input; anything
// else escaping — another exception (exit 3), a crash, a sanitizer report, a hang — is
// a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/plugins/plugins.h"
#include "sim/scenario/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  static const Catalogues catalogues = builtin_catalogues();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Scenario s = parse_scenario_text(text, "fuzz.yaml", catalogues);
    check_plugins(s);
  } catch (const ScenarioError&) {
  }
  return 0;
}
