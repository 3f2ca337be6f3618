#include "sim/cli/verdict_output.h"

#include <algorithm>
#include <cmath>

#include "sim/check/format.h"

namespace faultline::cli {

std::string verdict_table(const std::string& file, const Evaluation& evaluation,
                          double confidence) {
  if (evaluation.outcomes.empty()) return "";
  std::size_t width = 20;
  for (const Outcome& o : evaluation.outcomes) width = std::max(width, o.name().size() + 2);
  std::string out = "expectations (" + format_confidence(confidence) + " confidence intervals):\n";
  int failing = 0, open = 0;
  for (const Outcome& o : evaluation.outcomes) {
    std::string verdict = to_string(o.verdict);
    if (o.fails && o.verdict == Verdict::kInconclusive) verdict += "*";  // counted as a failure
    failing += o.fails;
    open += !o.fails && o.verdict == Verdict::kInconclusive;
    const bool diff = o.expectation.against != Against::kValue;
    std::string line = "  " + verdict;
    line.resize(17, ' ');
    std::string name = o.name();
    name.resize(width, ' ');
    line += name;
    std::string value;
    if (!std::isfinite(o.estimate))
      value = "—";
    else if (o.kind == Outcome::Kind::kPrecision)
      value = "half-width " + format_value(o.estimate, o.unit);
    else
      value =
          (diff ? "Δ " + format_difference(o.estimate, o.unit) : format_value(o.estimate, o.unit)) +
          " " + format_interval(o.ci_low, o.ci_high, o.unit, diff);
    if (o.pairing != Pairing::kNone) value += std::string(" ") + to_string(o.pairing);
    if (value.size() < 34) value.resize(34, ' ');
    line += value + "  " +
            (o.expectation.loc.line > 0 ? file + ":" + std::to_string(o.expectation.loc.line)
                                        : std::string("(command line)"));
    if (!o.note.empty() && o.verdict != Verdict::kPass) line += "  (" + o.note + ")";
    out += line + "\n";
  }
  out += "  " + std::to_string(evaluation.count(Verdict::kPass)) + " passed, " +
         std::to_string(failing) + " failed, " + std::to_string(open) + " inconclusive, " +
         std::to_string(evaluation.count(Verdict::kSkipped)) + " skipped";
  if (std::any_of(evaluation.outcomes.begin(), evaluation.outcomes.end(),
                  [](const Outcome& o) { return o.fails && o.verdict == Verdict::kInconclusive; }))
    out += " (* inconclusive counted as failed: policy fail or --strict)";
  return out + "\n";
}

}  // namespace faultline::cli
