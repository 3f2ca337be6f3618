#include "sim/scaleout/merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "faultline/version.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;

struct Part {
  fs::path path;
  ShardHeader header;
};

// The loop asked for a round that no wave of shards has run.
struct NeedsWave {
  Wave wave;
};

std::string list(const std::vector<std::string>& items, std::size_t most = 8) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < most; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > most) out += " and " + std::to_string(items.size() - most) + " more";
  return out;
}

std::string rounds_text(const std::vector<int>& rounds) {
  std::string out = "[";
  for (std::size_t i = 0; i < rounds.size(); ++i)
    out += (i ? ", " : "") + std::to_string(rounds[i]);
  return out + "]";
}

std::string range_text(int first, int end) {
  return "replications [" + std::to_string(first) + ", " + std::to_string(end) + ")";
}

// The study most parts belong to; every other part is foreign.
void check_one_study(const std::vector<Part>& parts) {
  std::map<std::uint64_t, std::vector<const Part*>> by_study;
  for (const Part& p : parts) by_study[fingerprint(p.header.study)].push_back(&p);
  if (by_study.size() == 1) return;
  const auto& main = *std::max_element(by_study.begin(), by_study.end(), [](auto& a, auto& b) {
    return a.second.size() < b.second.size();
  });
  const Part& reference = *main.second.front();
  std::vector<std::string> foreign;
  std::string why;
  for (const auto& [id, members] : by_study)
    if (id != main.first)
      for (const Part* p : members) {
        foreign.push_back(p->path.string());
        if (why.empty()) why = study_difference(reference.header.study, p->header.study);
      }
  throw MergeError("foreign shard" + std::string(foreign.size() > 1 ? "s " : " ") + list(foreign) +
                   ": not of the study of the other " + std::to_string(main.second.size()) +
                   " (e.g. " + reference.path.string() + "): " + why);
}

// Every wave complete: one count and one history per wave, each shard once, waves 1..W.
std::map<int, std::vector<const Part*>> group_waves(const std::vector<Part>& parts) {
  std::map<int, std::vector<const Part*>> waves;
  for (const Part& p : parts) waves[p.header.wave.number].push_back(&p);
  int expected = 1;
  const std::vector<int>* previous = nullptr;
  for (auto& [number, members] : waves) {
    const Part& first = *members.front();
    if (number != expected)
      throw MergeError("wave " + std::to_string(expected) +
                       " is missing: the shards given are of wave" +
                       (waves.size() > 1 ? "s " : " ") +
                       [&] {
                         std::vector<std::string> n;
                         for (const auto& w : waves) n.push_back(std::to_string(w.first));
                         return list(n);
                       }() +
                       " (e.g. " + first.path.string() + ")");
    ++expected;
    std::map<int, const Part*> by_index;
    for (const Part* p : members) {
      const ShardHeader& h = p->header;
      if (h.id.count != first.header.id.count || h.wave.rounds != first.header.wave.rounds)
        throw MergeError(p->path.string() + ": shard " + std::to_string(h.id.index) + " of " +
                         std::to_string(h.id.count) + " of wave " + std::to_string(number) +
                         " (rounds " + rounds_text(h.wave.rounds) + ") does not belong with " +
                         first.path.string() + " (shard of " +
                         std::to_string(first.header.id.count) + ", rounds " +
                         rounds_text(first.header.wave.rounds) + ")");
      const auto [it, fresh] = by_index.emplace(h.id.index, p);
      if (!fresh)
        throw MergeError("duplicated shard: shard " + std::to_string(h.id.index) + " of " +
                         std::to_string(h.id.count) + " of wave " + std::to_string(number) +
                         " is in both " + it->second->path.string() + " and " + p->path.string() +
                         "; give each shard once");
    }
    std::vector<std::string> missing;
    for (int k = 1; k <= first.header.id.count; ++k)
      if (!by_index.count(k))
        missing.push_back(shard_file_name(number, {k, first.header.id.count}));
    if (!missing.empty())
      throw MergeError("missing shard" + std::string(missing.size() > 1 ? "s" : "") + " of wave " +
                       std::to_string(number) + ": " + list(missing) + " (" +
                       std::to_string(by_index.size()) + " of " +
                       std::to_string(first.header.id.count) + " found, e.g. " +
                       first.path.string() + ")");
    const std::vector<int>& rounds = first.header.wave.rounds;
    if (previous && !std::equal(previous->begin(), previous->end(), rounds.begin()))
      throw MergeError(first.path.string() + ": wave " + std::to_string(number) +
                       " follows rounds " + rounds_text(rounds) + ", which do not continue wave " +
                       std::to_string(number - 1) + "'s " + rounds_text(*previous));
    previous = &rounds;
    members.clear();
    for (const auto& [k, p] : by_index) members.push_back(p);  // in shard order
  }
  return waves;
}

// A wave's units, read from its shards and checked against what each shard should hold.
std::vector<UnitResult> read_wave(const Experiment& e, int number,
                                  const std::vector<const Part*>& members, MergeStats& stats) {
  const Wave& wave = members.front()->header.wave;
  const std::vector<WorkUnit> all = e.units(wave.first(), wave.end());
  std::vector<UnitResult> out;
  out.reserve(all.size());
  const UnitShape shape{e.points().size(), e.runs_per_unit()};
  for (const Part* p : members) {
    const ShardHeader& h = p->header;
    const std::vector<WorkUnit> mine = shard_units(all, h.id);
    const auto fail = [&](const std::string& why) {
      return MergeError(p->path.string() + ": " + why);
    };
    if (h.units != mine.size())
      throw fail("holds " + std::to_string(h.units) + " units; shard " +
                 std::to_string(h.id.index) + " of " + std::to_string(h.id.count) + " of wave " +
                 std::to_string(number) + " has " + std::to_string(mine.size()));
    std::map<std::pair<int, int>, std::uint64_t> expected;  // (point, replication) → seed
    for (const WorkUnit& u : mine) expected.emplace(std::pair(u.point, u.replication), u.run_seed);
    ShardReadStats read;
    try {
      read = read_shard_units(p->path, shape, [&](UnitResult&& u) {
        const std::string name = "unit (point " + std::to_string(u.unit.point) + ", replication " +
                                 std::to_string(u.unit.replication) + ")";
        const auto it = expected.find(std::pair(u.unit.point, u.unit.replication));
        if (it == expected.end())
          throw std::invalid_argument(name + " is not one of this shard's, or appears twice");
        if (u.unit.run_seed != it->second)
          throw std::invalid_argument(name + " has run seed " + std::to_string(u.unit.run_seed) +
                                      ", not " + std::to_string(it->second));
        expected.erase(it);
        out.push_back(std::move(u));
      });
    } catch (const std::invalid_argument& ex) {
      throw fail(ex.what());
    }
    if (!expected.empty()) throw fail("lacks " + std::to_string(expected.size()) + " of its units");
    stats.units += read.units;
    stats.longest_line = std::max(stats.longest_line, read.longest_line);
  }
  return out;
}

}  // namespace

std::vector<fs::path> find_shard_files(const std::vector<std::string>& paths) {
  std::set<fs::path> found;
  for (const std::string& arg : paths) {
    std::error_code ec;
    const fs::path path(arg);
    if (fs::is_regular_file(path, ec)) {
      found.insert(path.lexically_normal());
    } else if (fs::is_directory(path, ec)) {
      std::size_t before = found.size();
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        // Hidden folders (a set's .faultline-outputs generations) hold copies, not shards.
        if (it->is_directory(ec) && it->path().filename().string()[0] == '.') {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file(ec) && is_shard_file_name(it->path().filename().string()))
          found.insert(it->path().lexically_normal());
      }
      if (ec) throw MergeError(arg + ": cannot list the folder: " + ec.message());
      if (found.size() == before)
        throw MergeError(arg + ": no shard files (w<wave>-shard-<K>-of-<N>.jsonl) in this folder");
    } else {
      throw MergeError(arg + ": no such file or folder");
    }
  }
  if (found.empty()) throw MergeError("no shard files given");
  return {found.begin(), found.end()};
}

MergeOutcome merge_shards(const std::vector<fs::path>& files, const ExperimentOptions& options) {
  MergeOutcome outcome;
  std::vector<Part> parts;
  for (const fs::path& f : files) {
    try {
      parts.push_back({f, read_shard_header(f)});
    } catch (const std::invalid_argument& e) {
      throw MergeError(f.string() + ": " + e.what());
    }
  }
  outcome.stats.files = parts.size();
  check_one_study(parts);
  // One copy of the scenario text is enough: memory must not grow with the file count.
  for (std::size_t i = 1; i < parts.size(); ++i)
    std::string().swap(parts[i].header.study.scenario_text);
  const Study& study = parts.front().header.study;
  if (study.tool_version != kToolVersion || study.git_revision != kGitRevision)
    throw MergeError(parts.front().path.string() + ": the shards were made by faultline " +
                     study.tool_version + " (git " + study.git_revision + "); this is faultline " +
                     kToolVersion + " (git " + kGitRevision +
                     "): merge with the faultline that ran them, so the numbers are its own");
  const std::map<int, std::vector<const Part*>> waves = group_waves(parts);

  const Experiment& e = outcome.experiment.emplace(rebuild_experiment(study, options));
  std::vector<int> rounds;
  std::string why;
  RunHooks hooks;
  hooks.on_round = [&](int, int, const std::string& reason) { why = reason; };
  const auto from_shards = [&](std::span<const WorkUnit> units, std::size_t) {
    int first = units.front().replication, end = first;
    for (const WorkUnit& u : units) {
      first = std::min(first, u.replication);
      end = std::max(end, u.replication + 1);
    }
    rounds.push_back(end);
    const int number = static_cast<int>(rounds.size());
    const auto wave = waves.find(number);
    if (wave == waves.end()) throw NeedsWave{Wave{number, rounds}};
    const Part& first_part = *wave->second.front();
    if (first_part.header.wave.rounds != rounds)
      throw MergeError(first_part.path.string() + ": wave " + std::to_string(number) + " ran " +
                       range_text(first_part.header.wave.first(), first_part.header.wave.end()) +
                       ", but the waves before it call for " + range_text(first, end) +
                       " (rounds " + rounds_text(rounds) +
                       "): its plan was not made from these shards");
    return read_wave(e, number, wave->second, outcome.stats);
  };
  try {
    outcome.results = e.run(from_shards, hooks);
  } catch (const NeedsWave& need) {
    outcome.next_wave = WavePlan{study, need.wave, why};
    outcome.results.reset();
    return outcome;
  }
  if (waves.size() > rounds.size()) {
    const Part& extra = *waves.at(static_cast<int>(rounds.size()) + 1).front();
    throw MergeError(extra.path.string() + ": wave " + std::to_string(rounds.size() + 1) +
                     " is not needed: the experiment is complete after wave " +
                     std::to_string(rounds.size()) + " (rounds " + rounds_text(rounds) + ")");
  }
  return outcome;
}

}  // namespace faultline
