// The schedule every fault shares: a start (`at`), a `duration`, optional recurrence
// (`every`, `repeat`) and a random onset (`onset_spread`: the start is drawn uniformly in
// [at, at + onset_spread) once per replication). Faults with the same `group` share that
// draw, which is how correlated failures are written — the backup vendor failing with the
// primary. sim/scenario/schedule.h (Schedule) turns these parameters into windows, for
// the model, results.json, the SimGrid platform and the live adapters alike.
#pragma once

#include <string_view>
#include <vector>

#include "sim/scenario/params.h"

namespace faultline {

inline std::vector<ParamSpec> with_schedule(std::vector<ParamSpec> own,
                                            std::string_view default_duration) {
  own.push_back({"at", ParamKind::kTimePoint, "", "when the fault starts, e.g. 12d 22:00"});
  own.push_back(
      {"duration", ParamKind::kDuration, default_duration, "how long each occurrence lasts"});
  own.push_back(
      {"every", ParamKind::kDuration, "1d", "period between occurrences when repeat > 1"});
  own.push_back({"repeat", ParamKind::kInteger, "1", "number of occurrences"});
  own.push_back({"onset_spread", ParamKind::kDuration, "0s",
                 "random onset: start uniformly in [at, at + onset_spread)"});
  own.push_back({"group", ParamKind::kText, "-",
                 "faults in the same group share their random onset (correlated failures)"});
  return own;
}

}  // namespace faultline
