#include "sim/check/github.h"

#include "sim/check/format.h"

namespace faultline {

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (const char c : github_escape_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string github_annotations(const std::vector<ScenarioCheck>& checks) {
  std::string out;
  for (const ScenarioCheck& c : checks) {
    if (!c.error.empty())
      out += "::error file=" + github_escape_property(c.file) +
             ",title=" + github_escape_property("faultline: " + c.name + " could not run") +
             "::" + github_escape_data(c.error) + "\n";
    for (const Outcome& o : c.evaluation.outcomes) {
      const bool warn = !o.fails && o.verdict == Verdict::kInconclusive;
      if (!o.fails && !warn) continue;
      out +=
          std::string(o.fails ? "::error" : "::warning") +
          " file=" + github_escape_property(c.file) +
          (o.expectation.loc.line > 0 ? ",line=" + std::to_string(o.expectation.loc.line) : "") +
          ",title=" + github_escape_property("faultline " + c.name + ": " + o.name()) + "::" +
          github_escape_data(describe_outcome(o, c.confidence) + " — reproduce: " + c.reproduce) +
          "\n";
    }
  }
  return out;
}

namespace {

std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '`')
      out += "\\`";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

const char* badge(const Outcome& o) {
  if (o.fails) return o.verdict == Verdict::kFail ? "❌ FAIL" : "❌ INCONCLUSIVE";
  switch (o.verdict) {
    case Verdict::kPass:
      return "✅ PASS";
    case Verdict::kInconclusive:
      return "⚠️ INCONCLUSIVE";
    default:
      return "➖ SKIPPED";
  }
}

}  // namespace

std::string github_step_summary(const std::vector<ScenarioCheck>& checks) {
  Tally t;
  std::string rows;
  for (const ScenarioCheck& c : checks) {
    if (!c.error.empty()) {
      ++t.fail;
      rows += "| " + cell(c.name) + " | (run) | | | | ❌ ERROR: " + cell(c.error) + " |\n";
    }
    for (const Outcome& o : c.evaluation.outcomes) {
      t.add(o);
      const bool diff = o.expectation.against != Against::kValue;
      const std::string estimate = o.kind == Outcome::Kind::kPrecision
                                       ? "half-width " + format_value(o.estimate, o.unit)
                                   : diff ? format_difference(o.estimate, o.unit) +
                                                (o.pairing == Pairing::kPaired     ? " (paired)"
                                                 : o.pairing == Pairing::kUnpaired ? " (unpaired)"
                                                                                   : "")
                                          : format_value(o.estimate, o.unit);
      rows += "| " + cell(c.name) + " | " +
              cell(o.expectation.metric + " " + o.expectation.assertion) +
              (o.show_point ? " (point " + std::to_string(o.point) + ")" : "") + " | " +
              cell(o.strategy) + " | " + cell(estimate) + " | " +
              cell(format_interval(o.ci_low, o.ci_high, o.unit, diff)) + " | " + badge(o) +
              (o.note.empty() || o.verdict == Verdict::kPass ? "" : " — " + cell(o.note)) + " |\n";
    }
  }
  std::string out = "### faultline check: " + std::string(t.fail ? "❌ failed" : "✅ passed") +
                    " — " + std::to_string(t.pass) + " passed, " + std::to_string(t.fail) +
                    " failed, " + std::to_string(t.inconclusive) + " inconclusive, " +
                    std::to_string(t.skipped) + " skipped\n\n";
  if (rows.empty()) return out + "No expectations in the checked scenarios.\n\n";
  out += "| scenario | expectation | strategy | estimate | confidence interval | verdict |\n";
  out += "|---|---|---|---|---|---|\n";
  return out + rows + "\n";
}

}  // namespace faultline
