// faultline._core.Experiment: the pipeline object (sim/pipeline/experiment.h) with
// Python's keyword arguments as its typed options, and run() made fit for an interpreter:
//
// - The experiment runs on a thread of its own with the GIL released, so other Python
//   threads — another run among them — go on meanwhile; the calling thread waits on a
//   condition variable without the GIL and wakes every poll interval.
// - On each wake-up, with the GIL, it reports progress to the Python callback (so
//   callbacks and tqdm run on the caller's thread, never on a worker) and calls
//   PyErr_CheckSignals(): a Ctrl-C (KeyboardInterrupt) sets the pipeline's cancel flag,
//   which stops the experiment between runs; the call then waits for the workers and
//   re-raises. Nothing of a cancelled run is kept.
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include "python/src/bindings.h"
#include "python/src/results.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/precision.h"

namespace faultline::python {

namespace {

bool is_int(py::handle v) {
  return PyLong_Check(v.ptr()) && !PyBool_Check(v.ptr());
}

std::optional<int> int_option(py::handle v, const char* name) {
  if (v.is_none()) return std::nullopt;
  if (!is_int(v))
    raise_option_error(name, "must be a whole number, not " + py::repr(v).cast<std::string>());
  const long long x = v.cast<long long>();
  if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
    raise_option_error(name, "is out of range: " + std::to_string(x));
  return static_cast<int>(x);
}

// Python keywords (and their values) → the pipeline's typed options. The pipeline itself
// checks ranges and combinations, once, as for the CLI's flags.
ExperimentOptions options_from(py::handle seed, py::handle replications, py::handle jobs,
                               py::handle engine, py::handle until_ci_halfwidth,
                               py::handle max_replications, py::handle only_replication,
                               py::handle baseline, bool strict, bool engine_log) {
  ExperimentOptions o;
  if (!seed.is_none()) {
    const auto value = [&] { return py::reinterpret_borrow<py::int_>(seed); };
    if (!is_int(seed) || value() < py::int_(0) ||
        value() > py::int_(std::numeric_limits<std::uint64_t>::max()))
      raise_option_error("seed", "must be a whole number from 0 to 18446744073709551615, not " +
                                     py::repr(seed).cast<std::string>());
    o.seed = seed.cast<std::uint64_t>();
  }
  o.replications = int_option(replications, "replications");
  o.jobs = jobs.is_none() ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                          : *int_option(jobs, "jobs");
  if (!engine.is_none()) {
    if (!PyUnicode_Check(engine.ptr()))
      raise_option_error("engine", "must be 'native' or 'simgrid'");
    const Parsed<EngineKind> e = parse_engine_name(engine.cast<std::string>());
    if (!e.ok()) raise_option_error("engine", e.error());
    o.engine = e.value();
  }
  if (!until_ci_halfwidth.is_none()) {
    if (!PyUnicode_Check(until_ci_halfwidth.ptr()))
      raise_option_error("until_ci_halfwidth",
                         "must be 'metric=value,...' or a dict {metric: value}");
    try {
      o.until_ci_halfwidth = parse_precision_targets(until_ci_halfwidth.cast<std::string>());
    } catch (const std::invalid_argument& e) {
      raise_option_error("until_ci_halfwidth", e.what());
    }
  }
  o.max_replications = int_option(max_replications, "max_replications");
  o.only_replication = int_option(only_replication, "only_replication");
  if (!baseline.is_none()) o.baseline = baseline.cast<std::string>();
  o.strict = strict;
  o.engine_log = engine_log;
  return o;
}

// What the worker thread and the waiting caller share.
struct RunState {
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  std::atomic<bool> cancel{false};
  std::atomic<std::size_t> done{0}, planned{0};
  std::vector<std::tuple<int, int, std::string>> rounds;  // not yet reported
  std::shared_ptr<ResultsHandle> results;
  std::exception_ptr error;
};

// Joins the worker whatever happens on the caller's side (a Python exception from a
// callback, KeyboardInterrupt): the worker reads the Experiment, which must outlive it.
struct WorkerGuard {
  RunState& state;
  std::thread& worker;
  ~WorkerGuard() {
    if (!worker.joinable()) return;
    state.cancel = true;
    py::gil_scoped_release nogil;
    worker.join();
  }
};

std::shared_ptr<ResultsHandle> run(const std::shared_ptr<const Experiment>& experiment,
                                   const py::object& progress, const py::object& on_round,
                                   double poll_s) {
  auto state = std::make_shared<RunState>();
  std::thread worker([experiment, state] {
    RunHooks hooks;
    hooks.cancel = &state->cancel;
    hooks.on_progress = [s = state.get()](std::size_t done, std::size_t planned) {
      s->planned = planned;
      s->done = done;
    };
    hooks.on_round = [s = state.get()](int done, int next, const std::string& why) {
      const std::lock_guard lock(s->mutex);
      s->rounds.emplace_back(done, next, why);
    };
    std::shared_ptr<ResultsHandle> results;
    std::exception_ptr error;
    try {
      results = results_of_run(*experiment, experiment->run(hooks));
    } catch (...) {
      error = std::current_exception();
    }
    {
      const std::lock_guard lock(state->mutex);
      state->results = std::move(results);
      state->error = error;
      state->finished = true;
    }
    state->finished_cv.notify_all();
  });
  WorkerGuard guard{*state, worker};
  const auto poll = std::chrono::duration<double>(std::max(0.001, poll_s));
  std::size_t reported = std::numeric_limits<std::size_t>::max();
  for (;;) {
    bool finished = false;
    std::vector<std::tuple<int, int, std::string>> rounds;
    {
      py::gil_scoped_release nogil;
      std::unique_lock lock(state->mutex);
      state->finished_cv.wait_for(lock, poll, [&] { return state->finished; });
      finished = state->finished;
      rounds.swap(state->rounds);
    }
    for (const auto& [done, next, why] : rounds)
      if (!on_round.is_none()) on_round(done, next, why);
    const std::size_t done = state->done;
    if (!progress.is_none() && done != reported && (done > 0 || finished)) {
      reported = done;
      progress(done, static_cast<std::size_t>(state->planned));
    }
    if (finished) break;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();  // the guard cancels, joins
  }
  {
    py::gil_scoped_release nogil;
    worker.join();
  }
  if (state->error) std::rethrow_exception(state->error);
  return state->results;
}

py::list point_list(const Experiment& e) {
  py::list out;
  for (const SweepPoint& p : e.points()) {
    py::dict parameters;
    for (const auto& [path, value] : p.parameters) parameters[py::str(path)] = value;
    out.append(py::dict(py::arg("index") = p.index, py::arg("parameters") = parameters));
  }
  return out;
}

}  // namespace

void bind_experiment(py::module_& m) {
  py::class_<Experiment, std::shared_ptr<Experiment>>(
      m, "Experiment",
      "The pipeline object: a scenario and options, validated once (sweep points, "
      "expectations, baseline) before anything runs.")
      .def(py::init([](const std::shared_ptr<Scenario>& scenario, py::handle seed,
                       py::handle replications, py::handle jobs, py::handle engine,
                       py::handle until_ci_halfwidth, py::handle max_replications,
                       py::handle only_replication, py::handle baseline, bool strict,
                       bool engine_log) {
             ExperimentOptions o =
                 options_from(seed, replications, jobs, engine, until_ci_halfwidth,
                              max_replications, only_replication, baseline, strict, engine_log);
             py::gil_scoped_release nogil;  // a sweep parses every point
             return std::make_shared<Experiment>(*scenario, std::move(o));
           }),
           py::arg("scenario"), py::arg("seed") = py::none(), py::arg("replications") = py::none(),
           py::arg("jobs") = py::none(), py::arg("engine") = py::none(),
           py::arg("until_ci_halfwidth") = py::none(), py::arg("max_replications") = py::none(),
           py::arg("only_replication") = py::none(), py::arg("baseline") = py::none(),
           py::arg("strict") = false, py::arg("engine_log") = false)
      .def_property_readonly("reproduce", &Experiment::reproduce)
      .def_property_readonly("points", &point_list)
      .def_property_readonly("first_round", &Experiment::first_round)
      .def_property_readonly("runs_per_unit", &Experiment::runs_per_unit)
      .def_property_readonly("jobs", [](const Experiment& e) { return e.options().jobs; })
      .def_property_readonly(
          "scenario", [](const Experiment& e) { return std::make_shared<Scenario>(e.scenario()); },
          "The scenario with the options applied (seed, replications, ...).")
      .def(
          "run",
          [](const std::shared_ptr<Experiment>& self, const py::object& progress,
             const py::object& on_round,
             double poll_s) { return run(self, progress, on_round, poll_s); },
          py::arg("progress") = py::none(), py::arg("on_round") = py::none(),
          py::arg("poll_interval") = 0.05,
          "Runs the whole pipeline without the GIL. progress(done, planned) and "
          "on_round(done, next, why) are called on this thread; KeyboardInterrupt stops "
          "the run between two simulations and is re-raised.");
}

}  // namespace faultline::python
