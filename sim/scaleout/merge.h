// `faultline merge`: shard files (shard.h) back into one experiment, judged by the one
// pipeline. The parts must belong together and cover every unit exactly once; anything
// else is a MergeError naming the file or the shard at fault — a shard of another study
// (scenario, options or faultline build), one that appears twice, one that is missing,
// a truncated or edited file. The merge rebuilds the Experiment from the scenario text
// the shards carry and replays its replication loop (Experiment::run) with an executor
// that takes each round's units from the shards of that wave instead of running them:
// the rounds, the stopping decision and every output byte are those of a single process.
// When the loop asks for a round no wave has run yet, the outcome is the plan of the
// next wave (wave_plan.h) instead of results.
//
// Memory: the decoded units (what a single process holds too) and one line of text at a
// time — never a whole file — so it does not grow with the number of shard files.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/pipeline/experiment.h"
#include "sim/scaleout/wave_plan.h"

namespace faultline {

// Parts that do not make one experiment: bad input, exit code 2.
struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The shard files `paths` name: a file as given, a folder searched (with its sub-folders)
// for shard_file_name()s. Sorted, each once. Throws MergeError for a path that does not
// exist, or when there is no shard file at all.
std::vector<std::filesystem::path> find_shard_files(const std::vector<std::string>& paths);

struct MergeStats {
  std::size_t files = 0;
  std::size_t units = 0;
  std::size_t longest_line = 0;  // the most shard text held at once
};

struct MergeOutcome {
  std::optional<Experiment> experiment;  // rebuilt from the shards' study
  std::optional<Results> results;        // the waves complete the experiment
  std::optional<WavePlan> next_wave;     // or the loop asks for another wave
  MergeStats stats;
};

// `options`: what only the merge adds — baseline, strict, jobs (the rest comes from the
// shards). Throws MergeError, and ScenarioError/OptionError as building the Experiment does.
MergeOutcome merge_shards(const std::vector<std::filesystem::path>& files,
                          const ExperimentOptions& options);

}  // namespace faultline
