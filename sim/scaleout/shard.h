// Shards: the K-th of N disjoint subsets of a wave's work units, run as its own process
// (a Slurm array task, a Kubernetes Indexed Job pod, a CI matrix job) and written as a
// partial result that `faultline merge` (merge.h) puts back together.
//
// A wave is one round of the pipeline's replication loop: wave 1 runs replications
// [0, replications) at every point; when sequential precision (or `inconclusive:
// extend`) asks for more, the merge writes a wave plan (wave_plan.h) and wave 2 runs
// [replications, next), and so on — the rounds a single process would run, so merged
// waves give its bytes. Within a wave, unit i of the canonical order (point-major, then
// replication) belongs to shard (i mod N) + 1: every shard gets a share of every point,
// which evens out points of different cost.
//
// A shard file is JSON lines: a header (schema, the study, shard K of N and how it was
// chosen, the wave, the units it holds), one line per unit (unit_codec.h), and a trailer
// with the count and a checksum of the unit lines, so a truncated or edited file is
// refused. Written atomically, as every output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/scaleout/study.h"
#include "sim/scaleout/unit_codec.h"

namespace faultline {

inline constexpr const char* kShardSchema = "faultline-shard/1";

// Shard K of N, 1 ≤ K ≤ N.
struct ShardId {
  int index = 1;
  int count = 1;
  friend bool operator==(const ShardId&, const ShardId&) = default;
};

// "K/N" with 1 ≤ K ≤ N ≤ 100000; throws std::invalid_argument saying what was expected.
ShardId parse_shard(std::string_view text);

// `--shard auto`: the index and count a cluster scheduler gives its task, from (in this
// order) SLURM_ARRAY_TASK_ID/_COUNT (with _MIN and _STEP), JOB_COMPLETION_INDEX +
// JOB_COMPLETIONS (a Kubernetes Indexed Job; the manifest sets JOB_COMPLETIONS), or
// CI_NODE_INDEX/CI_NODE_TOTAL (GitLab `parallel:`, or a matrix that sets them). `source`
// says which variables were read. Throws std::invalid_argument when none is set or the
// values do not make a shard.
struct ShardChoice {
  ShardId id;
  std::string source;  // "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=10"
};
ShardChoice shard_from_environment(const std::function<const char*(const char*)>& getenv);

// One round of the replication loop run as shards: the replications reached after each
// round so far, this one's last; this wave runs replications [first, end).
struct Wave {
  int number = 1;
  std::vector<int> rounds;  // {10} for wave 1 of 10 replications, {10, 20} for wave 2
  int first() const { return rounds.size() < 2 ? 0 : rounds[rounds.size() - 2]; }
  int end() const { return rounds.empty() ? 0 : rounds.back(); }
};

// The units of `wave_units` (a wave's units in canonical order) that shard `id` runs.
std::vector<WorkUnit> shard_units(std::span<const WorkUnit> wave_units, ShardId id);

// "w1-shard-03-of-10.jsonl": the wave and the shard, zero-padded so `ls` sorts them.
std::string shard_file_name(int wave, ShardId id);
// Whether a file name is one shard_file_name made (what `faultline merge` takes from a folder).
bool is_shard_file_name(std::string_view name);

struct ShardHeader {
  Study study;
  ShardId id;
  std::string source;  // how the shard was chosen: "--shard 2/3" or the variables read
  Wave wave;
  std::size_t units = 0;                // in this file
  std::size_t points = 0;               // of the experiment
  std::vector<std::string> strategies;  // of the experiment, in order
};

// The header of a shard of `e` in `wave`, holding `units` units.
ShardHeader shard_header(const Experiment& e, ShardId id, std::string source, Wave wave,
                         std::size_t units);

// The whole file: header, units (in the order given), trailer.
std::string shard_file_text(const ShardHeader& header, std::span<const UnitResult> units);

// Reading, one line at a time, so memory holds the decoded units and one line — never the
// file. Throws std::invalid_argument with the line number when a line is not what it
// should be (the caller names the file).
ShardHeader read_shard_header(const std::filesystem::path& path);
struct ShardReadStats {
  std::size_t units = 0;
  std::size_t longest_line = 0;  // the most text held at once
};
ShardReadStats read_shard_units(const std::filesystem::path& path, const UnitShape& shape,
                                const std::function<void(UnitResult&&)>& on_unit);

}  // namespace faultline
