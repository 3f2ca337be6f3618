// The starter scenarios `faultline init` writes (templates.cc).
#pragma once

#include <span>
#include <string_view>

namespace faultline::cli {

struct Template {
  std::string_view name;     // --template NAME
  std::string_view summary;  // one line for `faultline init --list`
  std::string_view text;     // YAML with {{NAME}}, {{FILE}} and {{SCHEMA}} placeholders
};

std::span<const Template> templates();  // the first is the default

}  // namespace faultline::cli
