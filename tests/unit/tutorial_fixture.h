// scenarios/tutorial-outage-sweep.yaml as a test fixture: the real scenario file, with
// the population scaled down so experiment tests stay fast in Debug and ASan builds.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "sim/model/plugin.h"
#include "sim/scenario/parser.h"

namespace faultline::testing {

inline Scenario tutorial_scenario(int borrowers) {
  const std::string path = FAULTLINE_SOURCE_DIR "/scenarios/tutorial-outage-sweep.yaml";
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  const std::string key = "borrowers: 30000";
  const auto at = text.find(key);
  if (at == std::string::npos) throw std::logic_error(path + " no longer has '" + key + "'");
  text.replace(at, key.size(), "borrowers: " + std::to_string(borrowers));
  return parse_scenario_text(text, path, builtin_catalogues());
}

}  // namespace faultline::testing
