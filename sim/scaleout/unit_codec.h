// One work unit's results as one line of text, and back: what a shard file holds per unit
// (shard.h) and what an MPI rank sends to rank 0 (mpi_pool.h). Lossless, because a merged
// or gathered result must give the single process's bytes: every metric double
// round-trips bit for bit (nlohmann's shortest round-trip decimal; NaN and the infinities,
// which JSON lacks, as strings), counters are integers, and the hourly series and latency
// histograms are written as their non-zero entries. Decoding checks the line against the
// experiment's shape and throws std::invalid_argument saying what is wrong.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/experiment/runner.h"

namespace faultline {

// What a unit must look like for the experiment it belongs to.
struct UnitShape {
  std::size_t points = 0;
  std::size_t strategies = 0;
};

// One line of compact JSON, without the newline.
std::string encode_unit(const UnitResult& unit);
UnitResult decode_unit(std::string_view line, const UnitShape& shape);

}  // namespace faultline
