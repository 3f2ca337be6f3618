#include "sim/scaleout/study.h"

#include <stdexcept>

#include "faultline/version.h"
#include "sim/model/world.h"
#include "sim/plugins/plugins.h"
#include "sim/random/hash.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/precision.h"

namespace faultline {

namespace {

ExperimentOptions unit_options(const ExperimentOptions& o) {
  ExperimentOptions out;
  out.seed = o.seed;
  out.replications = o.replications;
  out.engine = o.engine;
  out.until_ci_halfwidth = o.until_ci_halfwidth;
  out.max_replications = o.max_replications;
  return out;
}

std::string targets_text(const std::vector<PrecisionTarget>& targets) {
  std::string out;
  for (const PrecisionTarget& t : targets)
    out += (out.empty() ? "" : ",") + t.metric + "=" + t.as_written;
  return out;
}

template <typename T>
nlohmann::ordered_json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12) + "…";
}

}  // namespace

Study study_of(const Experiment& e) {
  Study s;
  s.tool_version = kToolVersion;
  s.git_revision = kGitRevision;
  const Scenario& sc = e.scenario();
  s.scenario_file = sc.file;
  s.scenario_name = sc.name;
  s.scenario_sha256 = sc.sha256;
  s.scenario_text = sc.text;
  s.options = unit_options(e.options());
  s.command = reproduce_command(sc, s.options, false);
  return s;
}

std::uint64_t fingerprint(const Study& s) {
  // The command holds the file, the resolved seed and replications and every option.
  return fnv1a64(s.tool_version + '\n' + s.git_revision + '\n' + s.scenario_sha256 + '\n' +
                 s.command);
}

nlohmann::ordered_json study_json(const Study& s) {
  const ExperimentOptions& o = s.options;
  return {
      {"tool",
       {{"name", "faultline"}, {"version", s.tool_version}, {"git_revision", s.git_revision}}},
      {"scenario",
       {{"file", s.scenario_file},
        {"name", s.scenario_name},
        {"sha256", s.scenario_sha256},
        {"text", s.scenario_text}}},
      {"options",
       {{"seed", optional_json(o.seed)},
        {"replications", optional_json(o.replications)},
        {"engine", o.engine ? nlohmann::ordered_json(std::string(to_string(*o.engine)))
                            : nlohmann::ordered_json(nullptr)},
        {"until_ci_halfwidth", o.until_ci_halfwidth.empty()
                                   ? nlohmann::ordered_json(nullptr)
                                   : nlohmann::ordered_json(targets_text(o.until_ci_halfwidth))},
        {"max_replications", optional_json(o.max_replications)}}},
      {"command", s.command}};
}

Study study_from_json(const nlohmann::json& j) {
  Study s;
  try {
    const nlohmann::json& tool = j.at("tool");
    s.tool_version = tool.at("version").get<std::string>();
    s.git_revision = tool.at("git_revision").get<std::string>();
    const nlohmann::json& sc = j.at("scenario");
    s.scenario_file = sc.at("file").get<std::string>();
    s.scenario_name = sc.at("name").get<std::string>();
    s.scenario_sha256 = sc.at("sha256").get<std::string>();
    s.scenario_text = sc.at("text").get<std::string>();
    const nlohmann::json& o = j.at("options");
    if (!o.at("seed").is_null()) s.options.seed = o["seed"].get<std::uint64_t>();
    if (!o.at("replications").is_null()) s.options.replications = o["replications"].get<int>();
    if (!o.at("engine").is_null()) {
      const Parsed<EngineKind> engine = parse_engine_name(o["engine"].get<std::string>());
      if (!engine.ok()) throw std::invalid_argument("options.engine: " + engine.error());
      s.options.engine = engine.value();
    }
    if (!o.at("until_ci_halfwidth").is_null())
      s.options.until_ci_halfwidth =
          parse_precision_targets(o["until_ci_halfwidth"].get<std::string>());
    if (!o.at("max_replications").is_null())
      s.options.max_replications = o["max_replications"].get<int>();
    s.command = j.at("command").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("the study lacks a field or has the wrong type: ") +
                                e.what());
  }
  return s;
}

std::string study_difference(const Study& a, const Study& b) {
  if (a.tool_version != b.tool_version || a.git_revision != b.git_revision)
    return "made by faultline " + a.tool_version + " (git " + a.git_revision + ") vs " +
           b.tool_version + " (git " + b.git_revision + ")";
  if (a.scenario_sha256 != b.scenario_sha256)
    return "scenario " + a.scenario_file + " (sha256 " + short_sha(a.scenario_sha256) + ") vs " +
           b.scenario_file + " (sha256 " + short_sha(b.scenario_sha256) + ")";
  if (a.command != b.command) return "options `" + a.command + "` vs `" + b.command + "`";
  return "";
}

Experiment rebuild_experiment(const Study& s, const ExperimentOptions& merge_options) {
  // The scenario as `faultline run` loaded it, from the text the parts carry.
  Scenario scenario = parse_scenario_text(s.scenario_text, s.scenario_file, builtin_catalogues());
  check_plugins(scenario);
  ExperimentOptions o = s.options;
  o.baseline = merge_options.baseline;
  o.strict = merge_options.strict;
  o.jobs = merge_options.jobs;
  Experiment e(std::move(scenario), o);
  const std::string why = study_difference(s, study_of(e));
  if (!why.empty())
    throw std::invalid_argument("the study rebuilt from its scenario text differs: " + why);
  return e;
}

}  // namespace faultline
