#include "sim/scenario/yaml_limits.h"

#include <utility>
#include <vector>

#include "sim/scenario/error.h"

namespace faultline {

namespace {

[[noreturn]] void too_deep(const std::string& file, SourceLoc loc, int max_depth) {
  throw ScenarioError(file, loc,
                      "nested more than " + std::to_string(max_depth) +
                          " levels deep; expected a scenario nested a few levels (the limit "
                          "guards the parser's stack)");
}

}  // namespace

void check_yaml_depth(std::string_view text, const std::string& file, int max_depth) {
  std::vector<std::size_t> indents;  // the open block levels' indentation
  int flow = 0;                      // open [ and { brackets
  char quote = 0;                    // inside a quoted scalar that may span lines
  long block_scalar_indent = -1;     // inside a | or > scalar: its parent's indentation
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t eol = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, eol - pos);
    ++line_no;
    pos = eol + 1;
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    const bool blank = i == line.size() || line[i] == '#' || line[i] == '\r';
    if (block_scalar_indent >= 0) {
      if (blank || static_cast<long>(i) > block_scalar_indent) continue;
      block_scalar_indent = -1;
    }
    int depth = 0;
    if (flow == 0 && quote == 0) {
      if (blank) continue;
      while (!indents.empty() && indents.back() > i) indents.pop_back();
      if (indents.empty() || indents.back() < i) indents.push_back(i);
      depth = static_cast<int>(indents.size());
      // "- - - x" opens one sequence per dash on the same line.
      while (i < line.size() && line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
        ++depth, ++i;
        while (i < line.size() && line[i] == ' ') ++i;
      }
      if (depth > max_depth) too_deep(file, {line_no, static_cast<int>(i) + 1}, max_depth);
    } else {
      depth = static_cast<int>(indents.size());
    }
    for (; i < line.size(); ++i) {
      const char c = line[i];
      if (quote) {
        if (c == '\\' && quote == '"')
          ++i;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      if ((c == '"' || c == '\'') &&
          (i == 0 || line[i - 1] == ' ' || line[i - 1] == '[' || line[i - 1] == '{' ||
           line[i - 1] == ',' || line[i - 1] == ':' || line[i - 1] == '-')) {
        quote = c;
        continue;
      }
      if (c == '[' || c == '{') {
        ++flow;
        if (depth + flow > max_depth) too_deep(file, {line_no, static_cast<int>(i) + 1}, max_depth);
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      // A block scalar header: `key: |`, `- >-`, `key: |2+`.
      if ((c == '|' || c == '>') && flow == 0 && i > 0 && line[i - 1] == ' ') {
        std::size_t k = i + 1;
        while (k < line.size() &&
               (line[k] == '+' || line[k] == '-' || (line[k] >= '0' && line[k] <= '9')))
          ++k;
        while (k < line.size() && (line[k] == ' ' || line[k] == '\r')) ++k;
        if (k == line.size() || line[k] == '#') {
          block_scalar_indent = static_cast<long>(indents.empty() ? 0 : indents.back());
          break;
        }
      }
    }
  }
}

void check_yaml_nodes(const YAML::Node& root, const std::string& file, std::size_t max_nodes,
                      int max_depth) {
  std::vector<std::pair<YAML::Node, int>> todo;
  todo.emplace_back(root, 1);
  std::size_t count = 0;
  while (!todo.empty()) {
    auto [node, depth] = std::move(todo.back());
    todo.pop_back();
    const YAML::Mark mark = node.Mark();
    const SourceLoc loc{mark.line + 1, mark.column + 1};
    if (++count > max_nodes)
      throw ScenarioError(file, loc,
                          "more than " + std::to_string(max_nodes) +
                              " YAML nodes once aliases (*name) are expanded; expected a "
                              "scenario of at most that size (are aliases nested in each "
                              "other?)");
    if (depth > max_depth) too_deep(file, loc, max_depth);
    if (node.IsSequence()) {
      for (const auto& child : node) todo.emplace_back(child, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        todo.emplace_back(kv.first, depth + 1);
        todo.emplace_back(kv.second, depth + 1);
      }
    }
  }
}

}  // namespace faultline
