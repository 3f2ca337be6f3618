// `faultline init [--template NAME] FILE`: a commented starter scenario (templates.cc),
// written atomically, never over an existing file without --force. `faultline explain
// SCENARIO`: the scenario's timeline in words — reminder batches, fault windows and which
// batches they hit, what each strategy changes, the expectations — so a reviewer can
// understand a scenario without running it.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/templates.h"
#include "sim/model/plugin.h"
#include "sim/output/atomic_file.h"
#include "sim/pipeline/experiment.h"
#include "sim/scenario/schedule.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace faultline::cli {

namespace {

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The installed schema (the package's layout: bin/ beside share/faultline/), else the
// source tree's, else a name the user can write with `faultline schema -o`.
std::string schema_location(bool& found) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec)
    candidates.push_back(exe.parent_path().parent_path() / "share/faultline/scenarios" /
                         "scenario.schema.json");
  candidates.emplace_back(FAULTLINE_SOURCE_DIR "/scenarios/scenario.schema.json");
  for (const fs::path& p : candidates) {
    if (fs::exists(p, ec)) {
      found = true;
      return fs::weakly_canonical(p, ec).string();
    }
  }
  found = false;
  return "scenario.schema.json";
}

// "my outage.yaml" → "my-outage": the scenario name (also its output folder).
std::string name_from_file(const fs::path& file) {
  std::string name;
  for (const char c : file.stem().string()) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    name += keep ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
  }
  return name.empty() ? "my-scenario" : name;
}

std::string template_list() {
  std::string out;
  for (const Template& t : templates())
    out += "  " + std::string(t.name) +
           std::string(18 - std::min<std::size_t>(17, t.name.size()), ' ') +
           std::string(t.summary) + "\n";
  return out;
}

// "day 12 22:00" (seconds only when there are any).
std::string when(SimTime t) {
  const long long day = t / kDay;
  const SimTime rest = t - day * kDay;
  const long long h = rest / kHour, m = (rest % kHour) / kMinute, s = (rest % kMinute) / kSecond;
  char buf[64];
  if (s)
    std::snprintf(buf, sizeof buf, "day %lld %02lld:%02lld:%02lld", day, h, m, s);
  else
    std::snprintf(buf, sizeof buf, "day %lld %02lld:%02lld", day, h, m);
  return buf;
}

// The parameters written in the file (not the defaults), as written: "target alpha, mode
// silent_drop". `skip` leaves out the schedule keys the timeline already shows.
std::string written_params(const ParamSet& params, bool skip_schedule) {
  std::string out;
  for (const auto& [name, value] : params.all()) {
    if (value.loc.line == 0) continue;
    if (skip_schedule && (name == "at" || name == "duration" || name == "every" ||
                          name == "repeat" || name == "onset_spread" || name == "group"))
      continue;
    out += (out.empty() ? "" : ", ") + name + " " + value.text;
  }
  return out;
}

std::string_view summary_of(std::span<const PluginInfo> catalogue, std::string_view name) {
  for (const PluginInfo& p : catalogue)
    if (p.name == name) return p.summary;
  return {};
}

struct Event {
  SimTime at;
  int order;  // at one instant: faults off (0), faults on (1), batches (2), others (3)
  std::string text;
};

std::string explain(const Experiment& experiment) {
  const Scenario& s = experiment.scenario();
  std::ostringstream out;
  out << s.name << " (" << s.file << ")\n";
  if (!s.description.empty()) out << "  " << s.description << "\n";
  const PopulationSpec& pop = s.population;
  out << "\nThe world\n  " << pop.borrowers
      << " borrowers, each with one instalment due at the end "
      << (pop.due_day_min == pop.due_day_max
              ? "of day " + std::to_string(pop.due_day_min)
              : "of a day drawn uniformly from days " + std::to_string(pop.due_day_min) + "-" +
                    std::to_string(pop.due_day_max))
      << "; paid within " << format_duration(pop.grace) << " of grace = late, later = missed.\n";
  out << "  SMS through " << s.sms.primary << " (primary)";
  for (const std::string& v : s.sms.vendors)
    if (v != s.sms.primary) out << ", " << v;
  out << "; carriers";
  for (const CarrierSpec& c : s.carriers)
    out << " " << c.name << " " << static_cast<int>(c.share * 100 + 0.5) << "%";
  out << ".\n";
  if (s.push.enabled || s.email.enabled || s.in_app.enabled) {
    out << "  Other channels:";
    if (s.push.enabled) out << " push";
    if (s.email.enabled) out << " email";
    if (s.in_app.enabled) out << " in_app";
    out << ".\n";
  }
  out << "  " << s.replications << " replication(s) per strategy from seed " << s.seed << ", "
      << static_cast<int>(s.confidence * 100 + 0.5) << "% intervals, engine "
      << (s.engine == EngineKind::kSimgrid ? "simgrid" : "native") << ", horizon "
      << format_duration(s.horizon) << ".\n";

  // The timeline: batches, fault windows as written (onsets at `at`), due dates, horizon.
  const Schedule schedule = Schedule::nominal(s.faults, s.horizon);
  std::vector<Event> events;
  int batches = 0;
  for (const ReminderRule& r : s.reminders)
    for (int d = pop.due_day_min; d <= pop.due_day_max; ++d) {
      const SimTime t = static_cast<SimTime>(d - r.before_due_days) * kDay + r.at;
      if (t < 0 || t >= s.horizon) continue;
      ++batches;
      std::string text = std::string("reminder batch on ") +
                         std::string(kChannelNames[static_cast<int>(r.channel)]) +
                         " for those due on day " + std::to_string(d) + " who have not paid";
      if (r.spread > 0) text += ", paced over " + format_duration(r.spread);
      std::string hit;
      for (const ScheduledFault& f : schedule.faults())
        if (f.active_at(t)) hit += (hit.empty() ? "" : ", ") + f.type;
      if (!hit.empty()) text += "  <- during " + hit;
      events.push_back({t, 2, text});
    }
  const bool many_batches = batches > 40;
  if (many_batches)
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const Event& e) {
                                  return e.order == 2 &&
                                         e.text.find("<- during") == std::string::npos;
                                }),
                 events.end());
  for (const ScheduledFault& f : schedule.faults()) {
    const std::string params = written_params(f.params, true);
    const std::string name = f.type + (params.empty() ? "" : " (" + params + ")");
    for (std::size_t w = 0; w < f.windows.size(); ++w) {
      const Window& win = f.windows[w];
      std::string on = name + " starts";
      if (f.windows.size() > 1)
        on += ", occurrence " + std::to_string(w + 1) + " of " + std::to_string(f.windows.size());
      if (f.spec.onset_spread > 0)
        on += " (at the earliest: each replication draws an onset up to " +
              format_duration(f.spec.onset_spread) + " later)";
      on += " — line " + std::to_string(f.loc.line);
      events.push_back({win.start, 1, on});
      if (win.end < s.horizon)
        events.push_back(
            {win.end, 0, f.type + " ends after " + format_duration(win.end - win.start)});
    }
    if (f.windows.empty())
      events.push_back({s.horizon, 3, f.type + ": never on before the horizon"});
  }
  events.push_back(
      {static_cast<SimTime>(pop.due_day_min + 1) * kDay, 3,
       "first instalments fall due (end of day " + std::to_string(pop.due_day_min) + ")"});
  if (pop.due_day_max != pop.due_day_min)
    events.push_back(
        {static_cast<SimTime>(pop.due_day_max + 1) * kDay, 3,
         "last instalments fall due (end of day " + std::to_string(pop.due_day_max) + ")"});
  events.push_back({static_cast<SimTime>(pop.due_day_max + 1) * kDay + pop.grace, 3,
                    "grace ends for the last due date: every payment is settled"});
  events.push_back({s.horizon, 3, "the run ends (horizon)"});
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  out << "\nTimeline (from day 0, 00:00)\n";
  if (many_batches)
    out << "  (" << batches << " reminder batches; only those during a fault are listed)\n";
  for (const Event& e : events) out << "  " << when(e.at) << "  " << e.text << "\n";
  if (s.faults.empty()) out << "  no faults: every strategy runs on a healthy system\n";

  out << "\nStrategies (every one runs in every replication with the same random draws)\n";
  const auto mitigations = mitigation_registry().catalogue();
  for (std::size_t i = 0; i < s.strategies.size(); ++i) {
    const StrategySpec& st = s.strategies[i];
    out << "  " << st.name << (i == 0 ? " (the reference)" : "") << ":"
        << (st.mitigations.empty() ? " no mitigation\n" : "\n");
    for (const PluginUse& m : st.mitigations) {
      const std::string params = written_params(m.params, false);
      out << "    " << m.type << (params.empty() ? "" : " (" + params + ")") << " — "
          << summary_of(mitigations, m.type) << "\n";
    }
  }
  if (s.sweep.enabled()) {
    out << "\nSweep: " << experiment.points().size() << " points, each a whole experiment\n";
    for (const SweepAxis& a : s.sweep.axes) {
      out << "  " << a.path << ":";
      for (const std::string& v : a.values) out << " " << v;
      out << "\n";
    }
  }
  if (!s.expectations.empty()) {
    out << "\nExpectations (judged on the " << static_cast<int>(s.confidence * 100 + 0.5)
        << "% intervals by run and check)\n";
    for (const Expectation& e : s.expectations)
      out << "  line " << e.loc.line << ": " << e.metric << " " << e.assertion << " for "
          << (e.strategy == kAllStrategies ? std::string("every strategy") : e.strategy) << "\n";
  }
  out << "\nRun it: faultline run " << s.file << "\n";
  return out.str();
}

}  // namespace

po::options_description init_options() {
  po::options_description opts("faultline init [--template NAME] FILE [options]");
  opts.add_options()("help,h", "show this help")(
      "template,t", po::value<std::string>()->default_value(std::string(templates()[0].name)),
      "the starter scenario (see --list)")("list", "list the templates")(
      "force", "overwrite FILE if it exists");
  return opts;
}

int init_command(const Args& args) {
  const po::options_description opts = init_options();
  const po::variables_map vm = parse_options(args, opts, "file");
  if (vm.count("help")) {
    std::cout << opts << "\nTemplates:\n"
              << template_list()
              << "\nWrites a commented scenario that validates and runs as written.\n";
    return kExitOk;
  }
  if (vm.count("list")) {
    std::cout << template_list();
    return kExitOk;
  }
  if (!vm.count("file")) throw UsageError("missing the file to write, e.g. my-scenario.yaml");
  const auto files = vm["file"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("init writes exactly one file");
  const std::string name = vm["template"].as<std::string>();
  const Template* chosen = nullptr;
  for (const Template& t : templates())
    if (t.name == name) chosen = &t;
  if (!chosen) {
    std::string known;
    for (const Template& t : templates())
      known += (known.empty() ? "" : ", ") + std::string(t.name);
    throw UsageError("--template: unknown template '" + name + "'; expected one of " + known);
  }
  const fs::path file = files[0];
  std::error_code ec;
  if (fs::exists(file, ec) && !vm.count("force"))
    throw OutputError(file.string() + ": already exists; pass --force to overwrite it");
  if (fs::is_directory(file, ec)) throw OutputError(file.string() + ": is a folder");
  bool schema_found = false;
  std::string text(chosen->text);
  replace_all(text, "{{SCHEMA}}", schema_location(schema_found));
  replace_all(text, "{{NAME}}", name_from_file(file));
  replace_all(text, "{{FILE}}", file.string());
  write_file_atomically(file, text);
  std::cout << "wrote " << file.string() << " (template " << chosen->name
            << "); next: faultline explain " << file.string() << "\n";
  if (!schema_found)
    std::cerr << "faultline init: for editor completion, write the schema beside it: faultline "
                 "schema -o "
              << (file.parent_path() / "scenario.schema.json").string() << "\n";
  return kExitOk;
}

po::options_description explain_options() {
  po::options_description opts("faultline explain SCENARIO [options]");
  opts.add_options()("help,h", "show this help");
  return opts;
}

int explain_command(const Args& args) {
  const po::options_description opts = explain_options();
  const po::variables_map vm = parse_options(args, opts, "scenario");
  if (vm.count("help")) {
    std::cout << opts
              << "\nPrints the scenario's timeline in words: reminder batches, fault windows and "
                 "the batches\nthey hit, what each strategy changes, the expectations. Runs "
                 "nothing.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("missing the scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("explain takes exactly one scenario file");
  std::cout << explain(Experiment::from_file(files[0]));
  return kExitOk;
}

}  // namespace faultline::cli
