#include "sim/scaleout/shard.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "sim/metrics/metrics.h"
#include "sim/random/hash.h"

namespace faultline {

namespace {

constexpr int kMaxShards = 100000;

// A whole non-negative decimal number, or nothing.
std::optional<long long> whole_number(std::string_view text) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v < 0)
    return std::nullopt;
  return v;
}

std::string pad(int value, int width) {
  std::string s = std::to_string(value);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))),
                     '0') +
         s;
}

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

using Out = nlohmann::ordered_json;
using In = nlohmann::json;

}  // namespace

ShardId parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto k = whole_number(text.substr(0, slash));
  const auto n =
      slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!k || !n)
    throw std::invalid_argument("expects K/N (shard K of N, e.g. 2/8) or auto, not '" +
                                std::string(text) + "'");
  if (*n < 1 || *n > kMaxShards || *k < 1 || *k > *n)
    throw std::invalid_argument("K/N needs 1 ≤ K ≤ N ≤ " + std::to_string(kMaxShards) + ", not " +
                                std::string(text));
  return {static_cast<int>(*k), static_cast<int>(*n)};
}

ShardChoice shard_from_environment(const std::function<const char*(const char*)>& getenv) {
  const auto var = [&](const char* name) -> std::optional<std::string> {
    const char* v = getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
  const auto number = [&](const char* name, const std::string& value) {
    const auto n = whole_number(value);
    if (!n)
      throw std::invalid_argument(std::string(name) + "='" + value +
                                  "' is not a whole non-negative number");
    return *n;
  };
  const auto make = [](long long index0, long long count, std::string source) {
    if (count < 1 || count > kMaxShards)
      throw std::invalid_argument("--shard auto: " + source + ": the count must be 1 to " +
                                  std::to_string(kMaxShards));
    if (index0 >= count)
      throw std::invalid_argument("--shard auto: " + source + " makes shard " +
                                  std::to_string(index0 + 1) + " of " + std::to_string(count) +
                                  ", beyond the count");
    return ShardChoice{{static_cast<int>(index0 + 1), static_cast<int>(count)}, std::move(source)};
  };
  if (const auto id = var("SLURM_ARRAY_TASK_ID")) {
    const auto count = var("SLURM_ARRAY_TASK_COUNT");
    if (!count)
      throw std::invalid_argument(
          "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    // `--array=1-10` numbers tasks from 1, `--array=0-30:10` in steps of 10.
    const long long task = number("SLURM_ARRAY_TASK_ID", *id);
    const long long min = var("SLURM_ARRAY_TASK_MIN")
                              ? number("SLURM_ARRAY_TASK_MIN", *var("SLURM_ARRAY_TASK_MIN"))
                              : 0;
    const long long step = var("SLURM_ARRAY_TASK_STEP")
                               ? number("SLURM_ARRAY_TASK_STEP", *var("SLURM_ARRAY_TASK_STEP"))
                               : 1;
    std::string source = "SLURM_ARRAY_TASK_ID=" + *id + " SLURM_ARRAY_TASK_COUNT=" + *count;
    if (min != 0) source += " SLURM_ARRAY_TASK_MIN=" + std::to_string(min);
    if (step != 1) source += " SLURM_ARRAY_TASK_STEP=" + std::to_string(step);
    if (step < 1 || task < min || (task - min) % step != 0)
      throw std::invalid_argument("--shard auto: " + source +
                                  " is not an evenly spaced array task (use --array=A-B or A-B:S)");
    return make((task - min) / step, number("SLURM_ARRAY_TASK_COUNT", *count), source);
  }
  if (const auto index = var("JOB_COMPLETION_INDEX")) {
    const auto count = var("JOB_COMPLETIONS");
    if (!count)
      throw std::invalid_argument(
          "--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but "
          "JOB_COMPLETIONS is not; set it in the pod's env to the Job's spec.completions");
    return make(number("JOB_COMPLETION_INDEX", *index), number("JOB_COMPLETIONS", *count),
                "JOB_COMPLETION_INDEX=" + *index + " JOB_COMPLETIONS=" + *count);
  }
  if (const auto index = var("CI_NODE_INDEX")) {
    const auto total = var("CI_NODE_TOTAL");
    if (!total)
      throw std::invalid_argument("--shard auto: CI_NODE_INDEX is set but CI_NODE_TOTAL is not");
    const long long k = number("CI_NODE_INDEX", *index);  // 1-based, as GitLab counts
    if (k < 1)
      throw std::invalid_argument("--shard auto: CI_NODE_INDEX counts from 1, not " + *index);
    return make(k - 1, number("CI_NODE_TOTAL", *total),
                "CI_NODE_INDEX=" + *index + " CI_NODE_TOTAL=" + *total);
  }
  throw std::invalid_argument(
      "--shard auto found no shard in the environment: expected SLURM_ARRAY_TASK_ID and "
      "SLURM_ARRAY_TASK_COUNT (Slurm array), JOB_COMPLETION_INDEX and JOB_COMPLETIONS "
      "(Kubernetes Indexed Job) or CI_NODE_INDEX and CI_NODE_TOTAL (CI); or give --shard K/N");
}

std::vector<WorkUnit> shard_units(std::span<const WorkUnit> wave_units, ShardId id) {
  std::vector<WorkUnit> out;
  for (std::size_t i = static_cast<std::size_t>(id.index - 1); i < wave_units.size();
       i += static_cast<std::size_t>(id.count))
    out.push_back(wave_units[i]);
  return out;
}

std::string shard_file_name(int wave, ShardId id) {
  const int width = static_cast<int>(std::to_string(id.count).size());
  return "w" + std::to_string(wave) + "-shard-" + pad(id.index, width) + "-of-" +
         std::to_string(id.count) + ".jsonl";
}

bool is_shard_file_name(std::string_view name) {
  static const std::regex pattern(R"(w[0-9]+-shard-[0-9]+-of-[0-9]+\.jsonl)");
  return std::regex_match(name.begin(), name.end(), pattern);
}

ShardHeader shard_header(const Experiment& e, ShardId id, std::string source, Wave wave,
                         std::size_t units) {
  ShardHeader h;
  h.study = study_of(e);
  h.id = id;
  h.source = std::move(source);
  h.wave = std::move(wave);
  h.units = units;
  h.points = e.points().size();
  for (const StrategySpec& s : e.scenario().strategies) h.strategies.push_back(s.name);
  return h;
}

std::string shard_file_text(const ShardHeader& h, std::span<const UnitResult> units) {
  Out metrics = Out::array();
  for (const MetricInfo& m : kMetrics) metrics.push_back(m.name);
  const Out header = {
      {"schema", kShardSchema},
      {"study", study_json(h.study)},
      {"shard", {{"index", h.id.index}, {"count", h.id.count}, {"source", h.source}}},
      {"wave",
       {{"number", h.wave.number},
        {"rounds", h.wave.rounds},
        {"first", h.wave.first()},
        {"end", h.wave.end()}}},
      {"units", h.units},
      {"points", h.points},
      {"strategies", h.strategies},
      {"metrics", metrics}};
  std::string out = header.dump() + "\n";
  std::uint64_t checksum = fnv1a64("");
  for (const UnitResult& u : units) {
    const std::string line = encode_unit(u) + "\n";
    checksum = combine(checksum, fnv1a64(line));
    out += line;
  }
  const Out trailer = {{"end", kShardSchema}, {"units", units.size()}, {"checksum", hex(checksum)}};
  return out + trailer.dump() + "\n";
}

namespace {

ShardHeader header_from_json(const In& j) {
  if (!j.is_object() || j.value("schema", "") != kShardSchema)
    throw std::invalid_argument(std::string("not a faultline shard file (its first line should "
                                            "be a header with \"schema\": \"") +
                                kShardSchema + "\")");
  ShardHeader h;
  try {
    h.study = study_from_json(j.at("study"));
    h.id = {j.at("shard").at("index").get<int>(), j.at("shard").at("count").get<int>()};
    h.source = j.at("shard").value("source", "");
    h.wave.number = j.at("wave").at("number").get<int>();
    h.wave.rounds = j.at("wave").at("rounds").get<std::vector<int>>();
    h.units = j.at("units").get<std::size_t>();
    h.points = j.at("points").get<std::size_t>();
    h.strategies = j.at("strategies").get<std::vector<std::string>>();
  } catch (const In::exception& e) {
    throw std::invalid_argument(std::string("line 1: the header lacks a field: ") + e.what());
  }
  if (h.id.count < 1 || h.id.index < 1 || h.id.index > h.id.count)
    throw std::invalid_argument("line 1: shard " + std::to_string(h.id.index) + " of " +
                                std::to_string(h.id.count) + " is not a shard");
  if (h.wave.number < 1 || h.wave.rounds.size() != static_cast<std::size_t>(h.wave.number))
    throw std::invalid_argument("line 1: wave " + std::to_string(h.wave.number) + " lists " +
                                std::to_string(h.wave.rounds.size()) + " rounds");
  return h;
}

}  // namespace

ShardHeader read_shard_header(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot be read");
  std::string line;
  std::getline(in, line);
  In j;
  try {
    j = In::parse(line);
  } catch (const In::exception&) {
    throw std::invalid_argument(
        std::string("not a faultline shard file (its first line is not a JSON header with "
                    "\"schema\": \"") +
        kShardSchema + "\")");
  }
  return header_from_json(j);
}

ShardReadStats read_shard_units(const std::filesystem::path& path, const UnitShape& shape,
                                const std::function<void(UnitResult&&)>& on_unit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot be read");
  ShardReadStats stats;
  std::string line;
  std::getline(in, line);  // the header, read by read_shard_header
  std::uint64_t checksum = fnv1a64("");
  for (int number = 2;; ++number) {
    if (!std::getline(in, line))
      throw std::invalid_argument("ends after line " + std::to_string(number - 1) +
                                  " without its trailer: the file is truncated");
    if (in.eof())
      throw std::invalid_argument("line " + std::to_string(number) +
                                  " is cut short: the file is truncated (copy it again)");
    stats.longest_line = std::max(stats.longest_line, line.size());
    const auto at = [&](const std::string& why) {
      return std::invalid_argument("line " + std::to_string(number) + ": " + why);
    };
    if (line.rfind("{\"end\"", 0) == 0) {
      In t;
      try {
        t = In::parse(line);
      } catch (const In::exception& e) {
        throw at(std::string("not valid JSON: ") + e.what());
      }
      if (t.value("units", std::size_t{0}) != stats.units)
        throw at("the trailer counts " + std::to_string(t.value("units", std::size_t{0})) +
                 " units but the file holds " + std::to_string(stats.units));
      if (t.value("checksum", "") != hex(checksum))
        throw at("the checksum of the unit lines does not match: the file was changed");
      if (std::getline(in, line) && !line.empty())
        throw std::invalid_argument("line " + std::to_string(number + 1) +
                                    ": text after the trailer");
      return stats;
    }
    checksum = combine(checksum, fnv1a64(line + "\n"));
    try {
      on_unit(decode_unit(line, shape));
    } catch (const std::invalid_argument& e) {
      throw at(e.what());
    }
    ++stats.units;
  }
}

}  // namespace faultline
