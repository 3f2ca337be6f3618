#include "sim/cli/terminal.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace faultline::cli {

namespace {

std::ostream& sink() {
  static std::ostream null(nullptr);  // no buffer: every write is dropped
  return null;
}

}  // namespace

bool stdout_wants_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0') &&
         !(term && std::string_view(term) == "dumb");
}

Terminal::Terminal(const boost::program_options::variables_map& vm)
    : quiet_(vm.count("quiet") > 0 || vm.count("json") > 0),
      json_(vm.count("json") > 0),
      colour_(!json_ && stdout_wants_colour()) {}

std::ostream& Terminal::info() const {
  return quiet_ ? sink() : std::cerr;
}

std::ostream& Terminal::out() const {
  return quiet_ ? sink() : std::cout;
}

std::string Terminal::paint(std::string table) const {
  if (!colour_) return table;
  // Verdicts start a row: "  PASS", "  FAIL", "  INCONCLUSIVE", "  SKIPPED".
  for (const auto& [word, code] :
       {std::pair{"  PASS", "32"}, std::pair{"  FAIL", "31"}, std::pair{"  INCONCLUSIVE", "33"},
        std::pair{"  SKIPPED", "2"}}) {
    const std::string from = std::string("\n") + word;
    const std::string to = std::string("\n  \033[") + code + "m" + (word + 2) + "\033[0m";
    for (auto at = table.find(from); at != std::string::npos; at = table.find(from, at + to.size()))
      table.replace(at, from.size(), to);
  }
  return table;
}

void add_terminal_options(boost::program_options::options_description& opts) {
  opts.add_options()("quiet,q", "print nothing but errors and warnings; the exit code tells")(
      "json", "print one JSON summary on stdout instead of the tables (and no progress)");
}

nlohmann::ordered_json verdicts_json(const Evaluation& evaluation) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Outcome& o : evaluation.outcomes) {
    nlohmann::ordered_json v;
    v["name"] = o.name();
    v["kind"] = o.kind == Outcome::Kind::kPrecision ? "precision" : "expectation";
    v["metric"] = o.expectation.metric;
    v["strategy"] = o.strategy;
    v["point"] = o.point;
    v["verdict"] = to_string(o.verdict);
    v["fails"] = o.fails;
    v["estimate"] = o.estimate;  // NaN (no value) → null
    v["ci_low"] = o.ci_low;
    v["ci_high"] = o.ci_high;
    v["unit"] = o.unit;
    v["line"] =
        o.expectation.loc.line > 0 ? nlohmann::ordered_json(o.expectation.loc.line) : nullptr;
    v["note"] = o.note;
    out.push_back(v);
  }
  return out;
}

nlohmann::ordered_json scenario_summary_json(const nlohmann::json& results, const std::string& file,
                                             const std::string& results_path,
                                             const Evaluation& evaluation) {
  nlohmann::ordered_json s;
  s["scenario"] = results["scenario"].value("name", "");
  s["file"] = file;
  s["results"] = results_path;
  s["seed"] = results["seed"];
  s["replications"] = results["replications"];
  s["confidence"] = results["confidence"];
  s["reference_strategy"] = results["reference_strategy"];
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const auto& p : results["points"]) {
    nlohmann::ordered_json point;
    point["index"] = p["index"];
    point["parameters"] = p["parameters"];
    nlohmann::ordered_json strategies = nlohmann::ordered_json::array();
    for (const auto& st : p["strategies"])
      strategies.push_back({{"name", st["name"]},
                            {"metrics", st["metrics"]},
                            {"difference_to_reference", st["difference_to_reference"]}});
    point["strategies"] = strategies;
    points.push_back(point);
  }
  s["points"] = points;
  s["verdicts"] = verdicts_json(evaluation);
  return s;
}

}  // namespace faultline::cli
