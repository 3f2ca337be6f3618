// libFuzzer target: the results.json reader as `faultline report` and Python's
// load_results run it — the document checked, read into a Summary with its runs.jsonl,
// the scenario it carries parsed again and its expectations judged
// (judge_results_text, sim/check/results_file.h). The input is the results.json text,
// optionally followed by a NUL byte and the runs.jsonl text (JSON text holds no raw NUL).
// A ScenarioError (the path and the reason, exit 2) is the expected way to refuse an
// input; anything else escaping — another exception (exit 3), a crash, a sanitizer
// report — is a bug.
#include <cstddef>
#include <cstdint>

#include "sim/check/results_file.h"
#include "sim/scenario/error.h"
#include "tests/fuzz/results_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  const fuzz::ResultsInput in = fuzz::split_results_input(data, size);
  try {
    (void)judge_results_text(in.results, in.runs_or_null(), "out/results.json", std::nullopt);
  } catch (const ScenarioError&) {
  }
  return 0;
}
