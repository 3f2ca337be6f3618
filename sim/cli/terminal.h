// Terminal conventions shared by `run` and `check` (issue 20): --quiet (nothing but
// errors and warnings), --json (one machine-readable summary on stdout, nothing else
// there), and colour only on a terminal, never when NO_COLOR is set (no-color.org) or
// TERM is dumb.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "sim/check/evaluate.h"

namespace boost::program_options {
class options_description;
class variables_map;
}  // namespace boost::program_options

namespace faultline::cli {

class Terminal {
 public:
  // From --quiet and --json (see add_terminal_options) and the environment.
  explicit Terminal(const boost::program_options::variables_map& vm);

  bool quiet() const { return quiet_; }  // --quiet or --json
  bool json() const { return json_; }
  bool colour() const { return colour_; }
  // stderr for the plan, progress and precision lines; a sink under --quiet and --json.
  std::ostream& info() const;
  // stdout for the tables; a sink under --quiet and --json.
  std::ostream& out() const;
  // The verdict words of a verdict table in colour (PASS green, FAIL red, INCONCLUSIVE
  // yellow, SKIPPED dim) when colour() is on; the table unchanged otherwise.
  std::string paint(std::string verdict_table) const;

 private:
  bool quiet_ = false, json_ = false, colour_ = false;
};

// Adds --quiet/-q and --json to a command's options.
void add_terminal_options(boost::program_options::options_description& opts);

// True when stdout is a terminal, NO_COLOR is unset or empty and TERM is not "dumb".
bool stdout_wants_colour();

// The verdicts as JSON: [{name, metric, strategy, point, verdict, fails, estimate, ci_low,
// ci_high, unit, line, note}], for --json.
nlohmann::ordered_json verdicts_json(const Evaluation& evaluation);

// One scenario's --json summary: its name, file, the output paths, seed, replications and
// per point and strategy the metrics (mean and interval) and differences to the reference,
// from the results.json document; and the verdicts.
nlohmann::ordered_json scenario_summary_json(const nlohmann::json& results, const std::string& file,
                                             const std::string& results_path,
                                             const Evaluation& evaluation);

}  // namespace faultline::cli
