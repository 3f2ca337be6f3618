// A results.json read back and judged: what `faultline report` renders and what Python's
// faultline.load_results returns. The document, its typed Summary (with the runs.jsonl
// beside it, so `delta` expectations pair with a baseline replication by replication),
// and the verdicts of the scenario's `expect:` entries — read back from the scenario text
// the document carries — and of its precision targets, judged by the code `run` and
// `check` use.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/evaluate.h"
#include "sim/output/summary.h"
#include "sim/scenario/expectation.h"

namespace faultline {

struct JudgedResults {
  nlohmann::json document;
  Summary summary;
  Evaluation evaluation;
  bool judged = false;            // false: nothing could be judged (why: expectations_note)
  std::string expectations_note;  // why the expectations were not judged, when they were not
};

// `baseline`: a results.json or a folder of <scenario>/results.json (as --baseline).
// Throws ScenarioError naming the file at fault: the results, their runs.jsonl, the baseline.
JudgedResults judge_results_file(const std::string& path,
                                 const std::optional<std::string>& baseline);
// The same on texts already read (`runs_jsonl`: the runs.jsonl beside `path`, or
// nullptr); `path` names them in errors and locates a baseline folder's files. The fuzz
// target of the results reader (tests/fuzz/fuzz_results.cc) enters here.
JudgedResults judge_results_text(const std::string& text, const std::string* runs_jsonl,
                                 const std::string& path,
                                 const std::optional<std::string>& baseline);

// The expectations of the scenario embedded in `results` (scenario.text), parsed with
// this binary's catalogues. Returns false with `why` set when there is no text or it no
// longer parses.
bool expectations_from_results(const nlohmann::json& results, std::vector<Expectation>& out,
                               std::string& why);

}  // namespace faultline
