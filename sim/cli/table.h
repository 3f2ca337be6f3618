// The short stdout summary of `faultline run`: strategies × key metrics, each as
// "mean ± half-width", plus the difference to the reference strategy.
#pragma once

#include <string>

#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"

namespace faultline::cli {

std::string summary_table(const Scenario& s, const Summary& summary);

}  // namespace faultline::cli
