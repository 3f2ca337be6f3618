// `faultline report RESULTS.json -o FILE`: the HTML report from a results.json alone (the
// same page `faultline run --report` writes). The expectations are read back from the
// scenario text the results carry and judged on the results' own numbers (with the
// runs.jsonl beside them when there is one), with --baseline for `delta` assertions.
// Rendering is not checking: the exit code is 0 when the report is written, whatever the
// verdicts (`faultline check` is the gate).
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "reports/report.h"
#include "sim/check/results_file.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/output/atomic_file.h"

namespace po = boost::program_options;

namespace faultline::cli {

boost::program_options::options_description report_options() {
  po::options_description opts("faultline report RESULTS.json -o FILE [options]");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                 "the HTML file to write (required)")(
      "baseline", po::value<std::string>(),
      "results.json (or a folder of <scenario>/results.json) for `delta` expectations");
  return opts;
}

int report_command(const Args& args) {
  const po::options_description opts = report_options();
  const po::variables_map vm = parse_options(args, opts, "results");
  if (vm.count("help")) {
    std::cout << opts
              << "\nWrites one self-contained HTML file (docs/report.md). Exit 0 when written, 2 "
                 "on bad input.\n";
    return kExitOk;
  }
  if (!vm.count("results")) throw UsageError("missing the results.json file");
  const auto files = vm["results"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("report takes exactly one results.json");
  if (!vm.count("output")) throw UsageError("missing -o FILE, the HTML file to write");

  const std::string output = vm["output"].as<std::string>();
  check_writable(output);
  // The verdicts are judged on the typed summary of the file (and its runs.jsonl, for
  // paired baseline deltas), by the code `run` and `check` use.
  const std::optional<std::string> baseline =
      vm.count("baseline") ? std::optional(vm["baseline"].as<std::string>()) : std::nullopt;
  const JudgedResults judged = judge_results_file(files[0], baseline);
  const report::ReportOptions options{judged.judged ? &judged.evaluation : nullptr,
                                      judged.expectations_note};
  const std::string html = report::render_report_of_file(judged.document, options, files[0]);
  write_file_atomically(output, html);
  std::cout << "report: " << output << "\n";
  return kExitOk;
}

}  // namespace faultline::cli
