// Strict reading of YAML nodes with errors that point at the offending text. Every
// accessor either returns what was asked for or throws ScenarioError with file:line:col
// and a sentence saying what was expected; unknown keys are rejected with the closest
// known key suggested, because a typo silently ignored is a scenario silently wrong.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/error.h"
#include "sim/scenario/units.h"

namespace faultline {

// The closest candidate within a small edit distance, or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  static SourceLoc loc(const YAML::Node& node);
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;
  [[noreturn]] void fail(SourceLoc loc, const std::string& message) const;

  // `context` names the block in messages, e.g. "infrastructure.vendors.alpha".
  void expect_map(const YAML::Node& node, std::string_view context) const;
  void expect_list(const YAML::Node& node, std::string_view context) const;
  // Rejects keys not in `allowed` (suggesting the closest) and duplicated keys. Keys in
  // `deprecated` are accepted too, but never suggested.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  std::string_view context, const std::vector<std::string>& deprecated = {}) const;
  // A key renamed in this release: the node under `key`, else the one under `old_key`
  // (adding a "file:line:col: warning: ..." to `warnings`), else an undefined node. Both
  // given is an error. `used` is set to the key found.
  YAML::Node renamed(const YAML::Node& map, const std::string& key, const std::string& old_key,
                     std::string_view context, std::vector<std::string>& warnings,
                     std::string* used = nullptr) const;
  // "file:line:col: warning: <message>".
  std::string warning(const YAML::Node& node, const std::string& message) const;
  // The value under `key`; fails if absent.
  YAML::Node require(const YAML::Node& map, std::string_view key, std::string_view context) const;
  std::string scalar(const YAML::Node& node, std::string_view context) const;

  // Typed scalars: parse with units.h and turn its explanation into a located error.
  template <typename T>
  T parse(const YAML::Node& node, Parsed<T> (*parser)(std::string_view),
          std::string_view context) const {
    const Parsed<T> p = parser(scalar(node, context));
    if (!p.ok()) fail(node, std::string(context) + ": " + p.error());
    return p.value();
  }

 private:
  std::string file_;
};

}  // namespace faultline
