// Which experiment a shard file, a wave plan or an MPI rank belongs to: the faultline
// build, the scenario (file as given, name, sha256 and exact text) and the options that
// change the work units and their records (seed, replications, engine, precision
// targets, max replications — never --baseline, --strict or --jobs, which only the
// merge or nothing depends on). Two parts merge only when their studies are equal; the
// scenario text travels with the parts, so `faultline merge` rebuilds the same
// Experiment from them alone, wherever it runs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/pipeline/experiment.h"

namespace faultline {

struct Study {
  std::string tool_version;
  std::string git_revision;
  std::string scenario_file;  // as given on the command line: it is in results.json
  std::string scenario_name;
  std::string scenario_sha256;
  std::string scenario_text;
  ExperimentOptions options;  // only the fields above; jobs 1
  // `faultline run FILE --seed S --replications N ...` without --baseline: the options in
  // one canonical line (what results.json's `reproduce` is made from).
  std::string command;
};

Study study_of(const Experiment& e);
std::uint64_t fingerprint(const Study& s);

nlohmann::ordered_json study_json(const Study& s);
// Throws std::invalid_argument naming the field that is missing or malformed.
Study study_from_json(const nlohmann::json& j);

// How `b` differs from `a`, in words ("scenario sha256 1a2b3c4d… vs 5e6f7a8b…"), or "" when
// they are the same study.
std::string study_difference(const Study& a, const Study& b);

// The Experiment the study describes, with the options only a merge adds (baseline,
// strict, jobs). Throws ScenarioError / OptionError as building any Experiment does, and
// std::invalid_argument when the rebuilt study is not the one given (another build).
Experiment rebuild_experiment(const Study& s, const ExperimentOptions& merge_options);

}  // namespace faultline
