// The one error type for bad input. It always names where (file:line:col, 1-based, as
// editors count) and says what is wrong and what was expected. The CLI prints what() and
// exits with code 2; nothing else is needed to find and fix the mistake.
#pragma once

#include <stdexcept>
#include <string>

namespace faultline {

struct SourceLoc {
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
};

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const std::string& file, SourceLoc loc, const std::string& message)
      : std::runtime_error(format(file, loc, message)), file_(file), loc_(loc), message_(message) {}

  const std::string& file() const { return file_; }
  SourceLoc loc() const { return loc_; }
  const std::string& message() const { return message_; }

 private:
  static std::string format(const std::string& file, SourceLoc loc, const std::string& message) {
    if (loc.line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) + ": " +
           message;
  }
  std::string file_;
  SourceLoc loc_;
  std::string message_;
};

}  // namespace faultline
