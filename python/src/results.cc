// faultline._core.Results: a finished experiment as the library serialises it —
// results.json and runs.jsonl (the bytes `faultline run` writes), results.csv, the HTML
// report and the verdicts — from a run, or read back from a results.json file the way
// `faultline report` reads one. Python's Results builds its DataFrames from these.
#include "python/src/results.h"

#include <pybind11/stl.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/report.h"
#include "sim/check/results_file.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"

namespace faultline::python {

namespace {

std::optional<std::string> read_if_present(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ScenarioError(path.string(), {}, "cannot read the file");
  return text.str();
}

std::shared_ptr<ResultsHandle> load_results(const std::string& path,
                                            const std::optional<std::string>& baseline) {
  auto r = std::make_shared<ResultsHandle>();
  JudgedResults judged = judge_results_file(path, baseline);
  r->json = read_if_present(path).value();
  r->runs = read_if_present(std::filesystem::path(path).parent_path() / "runs.jsonl");
  r->summary = std::move(judged.summary);
  r->evaluation = std::move(judged.evaluation);
  r->judged = judged.judged;
  r->expectations_note = judged.expectations_note;
  r->reproduce = judged.document.value("reproduce", "");
  r->rounds = r->summary.precision.enabled ? r->summary.precision.rounds
                                           : std::vector<int>{r->summary.replications};
  r->source = path;
  return r;
}

std::string csv(const ResultsHandle& r) {
  if (r.scenario) return results_csv(*r.scenario, r.summary);
  const auto beside =
      read_if_present(std::filesystem::path(r.source).parent_path() / "results.csv");
  if (!beside)
    throw ScenarioError(r.source, {},
                        "no results.csv beside this results.json (faultline run and check write "
                        "one; the DataFrames need none)");
  return *beside;
}

std::string report_html(const ResultsHandle& r) {
  const report::ReportOptions options{r.judged ? &r.evaluation : nullptr, r.expectations_note};
  const nlohmann::json document = nlohmann::json::parse(r.json);
  if (r.scenario) return report::render_report(document, options);    // as `faultline run --report`
  return report::render_report_of_file(document, options, r.source);  // as `faultline report`
}

py::object number(double v) {
  return std::isfinite(v) ? py::object(py::float_(v)) : py::none();
}

py::list outcome_list(const ResultsHandle& r) {
  py::list out;
  for (const Outcome& o : r.evaluation.outcomes) {
    const bool precision = o.kind == Outcome::Kind::kPrecision;
    py::dict row;
    row["name"] = o.name();
    row["kind"] = precision ? "precision" : "expectation";
    row["metric"] = o.expectation.metric;
    row["strategy"] = o.strategy;
    row["point"] = o.point;
    row["assertion"] = o.expectation.assertion;
    row["verdict"] = to_string(o.verdict);
    row["fails"] = o.fails;
    row["estimate"] = number(o.estimate);
    row["ci_low"] = number(o.ci_low);
    row["ci_high"] = number(o.ci_high);
    row["n"] = o.n;
    row["unit"] = o.unit;
    row["pairing"] = to_string(o.pairing);
    row["note"] = o.note;
    row["line"] =
        o.expectation.loc.line > 0 ? py::object(py::int_(o.expectation.loc.line)) : py::none();
    out.append(row);
  }
  return out;
}

std::vector<std::string> headline(const ResultsHandle& r) {
  std::vector<std::string> out;
  for (const Metric m : headline_metrics(r.summary))
    out.emplace_back(kMetrics[static_cast<std::size_t>(m)].name);
  return out;
}

}  // namespace

std::shared_ptr<ResultsHandle> results_of_run(const Experiment& experiment, Results&& results) {
  auto r = std::make_shared<ResultsHandle>();
  const Scenario& s = experiment.scenario();
  r->json = results_json(s, results.summary, results.reproduce);
  r->runs = runs_jsonl(s, results.experiment);
  r->scenario = std::make_shared<Scenario>(s);
  r->summary = std::move(results.summary);
  r->evaluation = std::move(results.evaluation);
  r->reproduce = results.reproduce;
  r->rounds = results.rounds;
  return r;
}

void bind_results(py::module_& m) {
  py::class_<ResultsHandle, std::shared_ptr<ResultsHandle>>(
      m, "Results", "An experiment's outputs as faultline writes them; see faultline.Results.")
      .def_readonly("json", &ResultsHandle::json, "results.json, as `faultline run` writes it")
      .def_readonly("runs", &ResultsHandle::runs, "runs.jsonl (None if it was not beside the file)")
      .def_readonly("reproduce", &ResultsHandle::reproduce)
      .def_readonly("rounds", &ResultsHandle::rounds)
      .def_readonly("source", &ResultsHandle::source)
      .def_readonly("judged", &ResultsHandle::judged)
      .def_readonly("expectations_note", &ResultsHandle::expectations_note)
      .def_property_readonly("failed", [](const ResultsHandle& r) { return r.evaluation.failed(); })
      .def_property_readonly("outcomes", &outcome_list)
      .def_property_readonly("headline_metrics", &headline)
      .def("csv", &csv, py::call_guard<py::gil_scoped_release>(), "results.csv")
      .def("report_html", &report_html, py::call_guard<py::gil_scoped_release>(),
           "The HTML report, as `faultline run --report` (or `faultline report`) writes it.")
      .def(
          "write",
          [](const ResultsHandle& r,
             const std::vector<std::pair<std::string, std::string>>& files) {
            std::vector<std::pair<std::filesystem::path, std::string>> out;
            for (const auto& [path, what] : files) {
              if (what == "json")
                out.emplace_back(path, r.json);
              else if (what == "runs" && r.runs)
                out.emplace_back(path, *r.runs);
              else if (what == "csv")
                out.emplace_back(path, csv(r));
              else if (what == "report")
                out.emplace_back(path, report_html(r));
            }
            for (const auto& [path, content] : out) check_writable(path);
            write_files_atomically(out);
          },
          py::arg("files"), py::call_guard<py::gil_scoped_release>(),
          "Writes [(path, 'json'|'runs'|'csv'|'report')] as one set, atomically.");
  m.def("load_results", &load_results, py::arg("path"), py::arg("baseline") = py::none(),
        "Reads a results.json (and the runs.jsonl beside it) and judges its expectations, as "
        "`faultline report` does.");
}

}  // namespace faultline::python
