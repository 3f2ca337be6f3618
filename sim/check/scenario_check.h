// What `faultline check` knows about one scenario after running it: enough for the JUnit
// file, the GitHub annotations and step summary, and the terminal table, without keeping
// the run itself.
#pragma once

#include <cstdint>
#include <string>

#include "sim/check/evaluate.h"

namespace faultline {

struct ScenarioCheck {
  std::string name;
  std::string file;
  std::string sha256;
  std::string reproduce;
  std::uint64_t seed = 0;
  int replications = 0;
  double confidence = 0.95;
  Evaluation evaluation;
  std::string error;  // set when the scenario could not be run; then evaluation is empty
};

}  // namespace faultline
