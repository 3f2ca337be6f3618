// Bounds on a YAML document's structure, checked around yaml-cpp's parse: nesting depth
// before it (yaml-cpp's recursive-descent parser stops only at 2000 levels, enough to
// overflow a worker thread's or a sanitizer's stack), and the number of nodes after
// alias expansion after it (`&a [*b, *b, ...]` chains double at every level: a
// "billion laughs" file of a few hundred bytes). Both limits are far above any real
// scenario (the flagship has depth 7 and ~900 nodes) and are documented in
// docs/reliability.md; exceeding one is a ScenarioError at the place it happened.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace faultline {

inline constexpr int kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxYamlNodes = 200'000;

// A conservative estimate of the text's nesting (indentation levels, `- ` entries and
// flow brackets, outside quotes, comments and block scalars); throws ScenarioError at
// the line and column where it first exceeds max_depth.
void check_yaml_depth(std::string_view text, const std::string& file,
                      int max_depth = kMaxYamlDepth);

// Walks the parsed document as a reader would see it (every alias expanded), without
// recursion; throws ScenarioError when it has more than max_nodes nodes or is nested
// deeper than max_depth.
void check_yaml_nodes(const YAML::Node& root, const std::string& file,
                      std::size_t max_nodes = kMaxYamlNodes, int max_depth = kMaxYamlDepth);

}  // namespace faultline
