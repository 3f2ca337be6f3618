// The plan of the next wave of shards: what `faultline merge` writes (OUT/next-wave.json,
// exit code 4) when the merged waves ask the replication loop for more replications —
// sequential precision not yet met, or an `inconclusive: extend` expectation — and what
// `faultline run --shard K/N --wave PLAN` reads to run its share of them. The plan
// carries the study, so a wave-2 shard of another scenario or build is refused, and the
// rounds so far, so wave 2 runs exactly the round a single process would run next.
#pragma once

#include <filesystem>
#include <string>

#include "sim/scaleout/shard.h"
#include "sim/scaleout/study.h"

namespace faultline {

inline constexpr const char* kWavePlanSchema = "faultline-wave/1";
inline constexpr const char* kWavePlanFile = "next-wave.json";

struct WavePlan {
  Study study;
  Wave wave;        // the next wave: its number and the rounds up to its own
  std::string why;  // "precision targets not met", from the pipeline's loop
};

std::string wave_plan_text(const WavePlan& plan);
// `path` is the plan file or the merge's output folder holding next-wave.json. Throws
// std::invalid_argument saying what is wrong (the caller names the path).
WavePlan read_wave_plan(const std::filesystem::path& path);

}  // namespace faultline
