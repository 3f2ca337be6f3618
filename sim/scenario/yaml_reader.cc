#include "sim/scenario/yaml_reader.h"

#include <algorithm>
#include <set>

namespace faultline {

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

const char* type_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined value";
  }
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

SourceLoc YamlReader::loc(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

void YamlReader::fail(const YAML::Node& node, const std::string& message) const {
  fail(loc(node), message);
}

void YamlReader::fail(SourceLoc where, const std::string& message) const {
  throw ScenarioError(file_, where, message);
}

void YamlReader::expect_map(const YAML::Node& node, std::string_view context) const {
  if (!node.IsMap())
    fail(node,
         std::string(context) + ": expected a mapping of keys to values, found " + type_name(node));
}

void YamlReader::expect_list(const YAML::Node& node, std::string_view context) const {
  if (!node.IsSequence())
    fail(node, std::string(context) + ": expected a list, found " + type_name(node));
}

void YamlReader::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                            std::string_view context,
                            const std::vector<std::string>& deprecated) const {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = scalar(it->first, context);
    if (!seen.insert(key).second)
      fail(it->first, std::string(context) + ": key '" + key + "' appears twice");
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    if (std::find(deprecated.begin(), deprecated.end(), key) != deprecated.end()) continue;
    std::string msg = std::string(context) + ": unknown key '" + key + "'";
    if (const std::string near = closest_match(key, allowed); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    msg += "; expected one of: " + join(allowed);
    fail(it->first, msg);
  }
}

std::string YamlReader::warning(const YAML::Node& node, const std::string& message) const {
  const SourceLoc l = loc(node);
  return file_ + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) +
         ": warning: " + message;
}

YAML::Node YamlReader::renamed(const YAML::Node& map, const std::string& new_key,
                               const std::string& old_key, std::string_view context,
                               std::vector<std::string>& warnings, std::string* used) const {
  const std::string key = new_key;  // a copy: `used` may be the caller's `new_key`
  const YAML::Node now = map[key], before = map[old_key];
  if (now && before)
    fail(before, std::string(context) + ": '" + old_key + "' is the old name of '" + key +
                     "'; give only '" + key + "'");
  if (used != nullptr) *used = before ? old_key : key;
  if (!before) return now;
  // Located at the key, so an editor jumps to the word to change.
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.Scalar() == old_key)
      warnings.push_back(warning(it->first, std::string(context) + "." + old_key +
                                                " is deprecated: write " + key +
                                                " (the old name is accepted until the next "
                                                "release)"));
  return before;
}

YAML::Node YamlReader::require(const YAML::Node& map, std::string_view key,
                               std::string_view context) const {
  const YAML::Node v = map[std::string(key)];
  if (!v.IsDefined() || v.IsNull())
    fail(map, std::string(context) + ": missing required key '" + std::string(key) + "'");
  return v;
}

std::string YamlReader::scalar(const YAML::Node& node, std::string_view context) const {
  if (!node.IsScalar())
    fail(node, std::string(context) + ": expected a single value, found " + type_name(node));
  return node.Scalar();
}

}  // namespace faultline
