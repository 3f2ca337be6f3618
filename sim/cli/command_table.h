// Every faultline command with its synopsis, summary, operands and options: the one
// source from which `faultline man` writes the man page and `faultline completion
// bash|zsh|fish` the shell completions. Each command's options come from the same
// function its --help prints (commands.h), so a flag cannot be in --help without being in
// the man page and the completions (tests/package/cli_docs_test.py checks it, and that
// every command of `faultline --help` is here).
#pragma once

#include <boost/program_options/options_description.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::cli {

// What a command's positional arguments are, for completion.
enum class Operand {
  kNone,
  kScenario,   // one scenario file (*.yaml, *.yml)
  kScenarios,  // several
  kJson,       // a results.json
  kFile,       // any file (a log, a ledger, a file to write)
  kWords,      // one of `words`
};

struct CommandSpec {
  std::string_view name;
  std::string_view operands;  // as the synopsis writes them: "SCENARIO", "RESULTS -o FILE"
  std::string_view summary;   // one line
  Operand operand;
  std::vector<std::string> words;  // Operand::kWords
  boost::program_options::options_description (*options)();
};

const std::vector<CommandSpec>& command_table();

// Completion words for an option's value (empty: any value), and whether it names a file.
std::vector<std::string> option_words(std::string_view command, std::string_view option);
bool option_is_file(std::string_view option);

std::string man_page();  // roff, section 1
std::string bash_completion();
std::string zsh_completion();
std::string fish_completion();

}  // namespace faultline::cli
