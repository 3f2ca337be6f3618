// libFuzzer target: `faultline report` after the reader — the results.json judged as
// fuzz_results does it (judge_results_text), then the HTML report rendered from the
// document and its verdicts (render_report_of_file, reports/report.h): charts, tables,
// the verdict and the strategy comparison built from whatever numbers, strings and
// shapes the document holds. Same input format as fuzz_results (the results.json text,
// optionally a NUL byte and the runs.jsonl text) and the same seed corpus. A
// ScenarioError is the expected refusal (a document without what the report needs);
// any other exception, a crash, a sanitizer report (a NaN cast to an integer, an index
// out of range) or a 10 s input is a bug.
#include <cstddef>
#include <cstdint>

#include "reports/report.h"
#include "sim/check/results_file.h"
#include "sim/scenario/error.h"
#include "tests/fuzz/results_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  const fuzz::ResultsInput in = fuzz::split_results_input(data, size);
  try {
    const JudgedResults judged =
        judge_results_text(in.results, in.runs_or_null(), "out/results.json", std::nullopt);
    const report::ReportOptions options{judged.judged ? &judged.evaluation : nullptr,
                                        judged.expectations_note};
    (void)report::render_report_of_file(judged.document, options, "out/results.json");
  } catch (const ScenarioError&) {
  }
  return 0;
}
