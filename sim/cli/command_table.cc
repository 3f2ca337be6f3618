// The command table and what is generated from it: the man page and the bash, zsh and
// fish completions (command_table.h). `faultline man` and `faultline completion SHELL`
// print them; the install writes them to share/man/man1 and the shells' folders.
#include "sim/cli/command_table.h"

#include <boost/program_options.hpp>
#include <iostream>

#include "adapters/proxy/cli.h"
#include "faultline/version.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/templates.h"
#include "sim/metrics/metrics.h"
#include "sim/output/atomic_file.h"

namespace po = boost::program_options;

namespace faultline::cli {

namespace {

po::options_description completion_options() {
  po::options_description opts("faultline completion bash|zsh|fish");
  opts.add_options()("help,h", "show this help");
  return opts;
}

po::options_description man_options() {
  po::options_description opts("faultline man [options]");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                 "write the man page to FILE (default: stdout)");
  return opts;
}

struct Flag {
  std::string long_name;   // "seed"
  std::string short_name;  // "o", or empty
  bool takes_value = false;
  std::string default_text;  // "out", or empty
  std::string description;
};

std::vector<Flag> flags_of(const CommandSpec& c) {
  std::vector<Flag> out;
  const po::options_description d = c.options();
  for (const auto& o : d.options()) {
    Flag f;
    f.long_name = o->long_name();
    const std::string name = o->format_name();  // "-o [ --out ]" or "--seed"
    if (name.size() > 1 && name[0] == '-' && name[1] != '-')
      f.short_name = name.substr(1, name.find(' ') - 1);
    f.takes_value = o->semantic()->max_tokens() > 0;
    const std::string parameter = o->format_parameter();  // "arg (=out)"
    if (const auto eq = parameter.find("(="); eq != std::string::npos)
      f.default_text = parameter.substr(eq + 2, parameter.size() - eq - 3);
    // --jobs defaults to this machine's cores: say so, not the build machine's count.
    if (f.long_name == "jobs" && !f.default_text.empty()) f.default_text = "the number of cores";
    f.description = o->description();
    out.push_back(std::move(f));
  }
  return out;
}

std::string join(const std::vector<std::string>& words, const char* sep = " ") {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string roff(std::string text) {
  text = replace(std::move(text), "\\", "\\e");
  text = replace(std::move(text), "-", "\\-");
  if (!text.empty() && (text[0] == '.' || text[0] == '\'')) text = "\\&" + text;
  return replace(std::move(text), "\n.", "\n\\&.");
}

std::string single_quoted(const std::string& text) {  // POSIX shells and zsh
  return "'" + replace(text, "'", "'\\''") + "'";
}

std::string fish_quoted(const std::string& text) {
  return "'" + replace(replace(text, "\\", "\\\\"), "'", "\\'") + "'";
}

// The first line of a description, for the completion menus.
std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = [] {
    std::vector<std::string> template_names;
    for (const Template& t : templates()) template_names.emplace_back(t.name);
    return std::vector<CommandSpec>{
        {"run",
         "SCENARIO",
         "run a scenario; write results.json, runs.jsonl; print a summary",
         Operand::kScenario,
         {},
         run_options},
        {"validate",
         "SCENARIO...",
         "check scenario files without running them",
         Operand::kScenarios,
         {},
         validate_options},
        {"list",
         "WHAT",
         "print the catalogue: faults, mitigations or metrics",
         Operand::kWords,
         {"faults", "mitigations", "metrics"},
         list_options},
        {"check",
         "SCENARIO...",
         "run scenarios and judge their expect: entries (CI; --junit)",
         Operand::kScenarios,
         {},
         check_options},
        {"report",
         "RESULTS -o FILE",
         "write the HTML report of a results.json",
         Operand::kJson,
         {},
         report_options},
        {"merge",
         "SHARDS... --out DIR",
         "merge shard files (run --shard K/N) into one set of results",
         Operand::kFile,
         {},
         merge_options},
        {"proxy",
         "",
         "a fault-injecting TCP proxy with Toxiproxy's API (live)",
         Operand::kNone,
         {},
         proxy::proxy_options},
        {"inject",
         "SCENARIO",
         "play a scenario's faults on live proxies in scaled time",
         Operand::kScenario,
         {},
         proxy::inject_options},
        {"vendor",
         "SCENARIO",
         "emulate the scenario's SMS vendors (Twilio's Messages API)",
         Operand::kScenario,
         {},
         vendor_options},
        {"compare",
         "LEDGER",
         "a live emulator run beside the simulator's prediction",
         Operand::kFile,
         {},
         compare_options},
        {"fit",
         "LOG",
         "vendor and carrier parameters from a delivery log",
         Operand::kFile,
         {},
         fit_options},
        {"init",
         "FILE",
         "write a commented starter scenario (--template NAME)",
         Operand::kFile,
         {},
         init_options},
        {"explain",
         "SCENARIO",
         "the scenario's timeline in words, without running it",
         Operand::kScenario,
         {},
         explain_options},
        {"schema",
         "",
         "the JSON Schema of scenario files, for editors",
         Operand::kNone,
         {},
         schema_options},
        {"completion",
         "SHELL",
         "the shell completion script for bash, zsh or fish",
         Operand::kWords,
         {"bash", "zsh", "fish"},
         completion_options},
        {"man", "", "the man page (roff)", Operand::kNone, {}, man_options},
    };
  }();
  return table;
}

std::vector<std::string> option_words(std::string_view command, std::string_view option) {
  if (option == "engine") return {"native", "simgrid"};
  if (option == "template") {
    std::vector<std::string> out;
    for (const Template& t : templates()) out.emplace_back(t.name);
    return out;
  }
  if (option == "format") {
    if (command == "fit") return {"yaml", "json"};
    return {"text", "markdown"};
  }
  if (option == "table") return {"parameters", "effects"};
  if (option == "until-ci-halfwidth") {  // METRIC=VALUE
    std::vector<std::string> out;
    for (const MetricInfo& m : kMetrics) out.push_back(std::string(m.name) + "=");
    return out;
  }
  return {};
}

bool option_is_file(std::string_view option) {
  for (const char* f : {"out", "output", "report", "baseline", "junit", "config", "ledger", "log",
                        "scenario", "simulate"})
    if (option == f) return true;
  return false;
}

std::string man_page() {
  std::string m;
  m += ".\\\" Generated by `faultline man` from the options every command's --help prints.\n";
  m += ".TH FAULTLINE 1 \"\" \"faultline " + std::string(kToolVersion) + "\" \"User Commands\"\n";
  m += ".SH NAME\nfaultline \\- simulate reminder and payment systems under faults, compare "
       "mitigations\n";
  m += ".SH SYNOPSIS\n.B faultline\n.I command\n[\\fIoptions\\fR] [\\fIfiles\\fR]\n.br\n"
       ".B faultline \\-\\-version\n.br\n.B faultline \\-\\-help\n";
  m += ".SH DESCRIPTION\n"
       "faultline is a discrete\\-event simulator and chaos\\-testing framework for the systems "
       "that remind borrowers to pay and let them pay: mobile apps, carrier networks, SMS "
       "vendors, bank cores and payment rails. It replays YAML scenarios of faults and "
       "measures, under each mitigation strategy, how many payments are missed and how many "
       "notifications are lost \\(em with confidence intervals, reproducible by seed.\n"
       ".PP\nStart with \\fBfaultline init my\\-scenario.yaml\\fR, read it with \\fBfaultline "
       "explain\\fR, run it with \\fBfaultline run\\fR.\n";
  m += ".SH COMMANDS\n";
  for (const CommandSpec& c : command_table()) {
    m += ".SS \"faultline " + roff(std::string(c.name)) +
         (c.operands.empty() ? "" : " " + roff(std::string(c.operands))) + "\"\n";
    m += roff(std::string(c.summary)) + ".\n";
    for (const Flag& f : flags_of(c)) {
      m += ".TP\n";
      if (!f.short_name.empty()) m += "\\fB\\-" + roff(f.short_name) + "\\fR, ";
      m += "\\fB\\-\\-" + roff(f.long_name) + "\\fR";
      if (f.takes_value) m += " \\fIVALUE\\fR";
      m += "\n" + roff(f.description);
      if (!f.default_text.empty()) m += " (default: " + roff(f.default_text) + ")";
      m += "\n";
    }
  }
  m += ".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nan expectation failed (or was inconclusive "
       "under \\-\\-strict)\n.TP\n2\nbad usage, scenario or output path (file:line:col: what is "
       "wrong, what was expected)\n.TP\n3\ninternal error\n.TP\n130\ninterrupted (Ctrl\\-C); "
       "nothing written\n";
  m += ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set (to anything), no colour in the terminal "
       "output; colour is only ever used on a terminal\n.TP\n.B GITHUB_ACTIONS\n\\fBcheck\\fR "
       "also prints workflow annotations and appends a table to \\fBGITHUB_STEP_SUMMARY\\fR\n";
  m += ".SH FILES\n.TP\n.I /usr/share/faultline/scenarios/\nthe example scenarios, "
       "flagship\\-vendor\\-outage.yaml first, and scenario.schema.json, the editor schema they "
       "name\n";
  m += ".SH SEE ALSO\nThe documentation in the source tree: docs/scenarios.md (the scenario "
       "format), docs/ci.md (faultline check), docs/report.md, docs/adapters.md, "
       "docs/install.md.\n";
  return m;
}

std::string bash_completion() {
  std::string s =
      "# bash completion for faultline. Generated by `faultline completion bash` from the\n"
      "# options of every command's --help. Install: source it, or put it in\n"
      "# /usr/share/bash-completion/completions/faultline (the package does).\n"
      "_faultline_scenarios() {\n"
      "  COMPREPLY=($(compgen -d -- \"$cur\"; compgen -f -X '!*.yaml' -- \"$cur\";"
      " compgen -f -X '!*.yml' -- \"$cur\"))\n"
      "}\n"
      "_faultline() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  if ((COMP_CWORD == 1)); then\n";
  std::vector<std::string> names;
  for (const CommandSpec& c : command_table()) names.emplace_back(c.name);
  s += "    COMPREPLY=($(compgen -W " + single_quoted(join(names) + " --help --version") +
       " -- \"$cur\"))\n    return\n  fi\n  case ${COMP_WORDS[1]} in\n";
  for (const CommandSpec& c : command_table()) {
    const std::vector<Flag> flags = flags_of(c);
    s += "    " + std::string(c.name) + ")\n      case $prev in\n";
    std::vector<std::string> files, free, all;
    for (const Flag& f : flags) {
      std::string spelled = "--" + f.long_name;
      if (!f.short_name.empty()) spelled += "|-" + f.short_name;
      all.push_back("--" + f.long_name);
      if (!f.short_name.empty()) all.push_back("-" + f.short_name);
      if (!f.takes_value) continue;
      if (const auto words = option_words(c.name, f.long_name); !words.empty()) {
        s += "        " + spelled + ") COMPREPLY=($(compgen -W " + single_quoted(join(words)) +
             " -- \"$cur\")); return ;;\n";
      } else if (option_is_file(f.long_name)) {
        files.push_back(spelled);
      } else {
        free.push_back(spelled);
      }
    }
    if (!files.empty())
      s += "        " + join(files, "|") + ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
    if (!free.empty()) s += "        " + join(free, "|") + ") return ;;\n";
    s += "      esac\n";
    s += "      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W " + single_quoted(join(all)) +
         " -- \"$cur\")); return; fi\n";
    switch (c.operand) {
      case Operand::kScenario:
      case Operand::kScenarios:
        s += "      _faultline_scenarios\n";
        break;
      case Operand::kJson:
        s += "      COMPREPLY=($(compgen -d -- \"$cur\"; compgen -f -X '!*.json' -- \"$cur\"))\n";
        break;
      case Operand::kFile:
        s += "      COMPREPLY=($(compgen -f -- \"$cur\"))\n";
        break;
      case Operand::kWords:
        s += "      COMPREPLY=($(compgen -W " + single_quoted(join(c.words)) + " -- \"$cur\"))\n";
        break;
      case Operand::kNone:
        break;
    }
    s += "      ;;\n";
  }
  s += "  esac\n}\ncomplete -o filenames -F _faultline faultline\n";
  return s;
}

std::string zsh_completion() {
  auto escape = [](std::string text) {  // inside '…[…]' of an _arguments spec
    text = replace(first_line(text), "[", "\\[");
    text = replace(std::move(text), "]", "\\]");
    return replace(std::move(text), ":", "\\:");
  };
  std::string s =
      "#compdef faultline\n"
      "# zsh completion for faultline. Generated by `faultline completion zsh` from the\n"
      "# options of every command's --help. Install: put it as _faultline in a folder of\n"
      "# $fpath (the package uses /usr/share/zsh/vendor-completions).\n"
      "_faultline() {\n"
      "  local -a commands\n"
      "  commands=(\n";
  for (const CommandSpec& c : command_table())
    s += "    " + single_quoted(std::string(c.name) + ":" + std::string(c.summary)) + "\n";
  s += "  )\n"
       "  if (( CURRENT == 2 )); then\n"
       "    _describe -t commands 'faultline command' commands\n"
       "    _arguments '(- *)--help[the commands]' '(- *)--version[version, git revision, "
       "build type]'\n"
       "    return\n"
       "  fi\n"
       "  local cmd=${words[2]}\n"
       "  shift words\n"
       "  (( CURRENT-- ))\n"
       "  case $cmd in\n";
  for (const CommandSpec& c : command_table()) {
    s += "    " + std::string(c.name) + ")\n      _arguments -s -S";
    for (const Flag& f : flags_of(c)) {
      std::string spec;
      const std::string desc = "[" + escape(f.description) + "]";
      if (!f.short_name.empty())
        spec = "'(-" + f.short_name + " --" + f.long_name + ")'{-" + f.short_name + ",--" +
               f.long_name + "}" + single_quoted(desc);
      else
        spec = single_quoted("--" + f.long_name + desc);
      if (f.takes_value) {
        std::string action = " ";
        if (const auto words = option_words(c.name, f.long_name); !words.empty())
          action = "(" + join(words) + ")";
        else if (option_is_file(f.long_name))
          action = "_files";
        spec += single_quoted(":" + f.long_name + ":" + action);
      }
      s += " \\\n        " + spec;
    }
    switch (c.operand) {
      case Operand::kScenario:
        s += " \\\n        '1:scenario file:_files -g \"*.(yaml|yml)\"'";
        break;
      case Operand::kScenarios:
        s += " \\\n        '*:scenario file:_files -g \"*.(yaml|yml)\"'";
        break;
      case Operand::kJson:
        s += " \\\n        '1:results.json:_files -g \"*.json\"'";
        break;
      case Operand::kFile:
        s += " \\\n        '1:file:_files'";
        break;
      case Operand::kWords:
        s += " \\\n        " +
             single_quoted("1:" + std::string(c.operands) + ":(" + join(c.words) + ")");
        break;
      case Operand::kNone:
        break;
    }
    s += "\n      ;;\n";
  }
  s += "  esac\n"
       "}\n"
       "if [[ $funcstack[1] == _faultline ]]; then _faultline \"$@\"; else compdef _faultline "
       "faultline; fi\n";
  return s;
}

// Scenario files (and folders), results files: fish's __fish_complete_suffix offers every
// file (the matching ones first), so the paths are filtered.
constexpr const char* kFishFiles[] = {
    R"( -k -a '(string match -r -- \'.*\.ya?ml(\t.*)?$|.*/(\t.*)?$\' (__fish_complete_path (commandline -ct)))')",
    R"( -k -a '(string match -r -- \'.*\.json(\t.*)?$|.*/(\t.*)?$\' (__fish_complete_path (commandline -ct)))')"};

std::string fish_completion() {
  std::string s =
      "# fish completion for faultline. Generated by `faultline completion fish` from the\n"
      "# options of every command's --help. Install: put it as faultline.fish in\n"
      "# ~/.config/fish/completions (the package uses /usr/share/fish/vendor_completions.d).\n"
      "complete -c faultline -f\n"
      "complete -c faultline -n __fish_use_subcommand -s h -l help -d 'the commands'\n"
      "complete -c faultline -n __fish_use_subcommand -l version -d 'version, git revision, "
      "build type'\n";
  for (const CommandSpec& c : command_table())
    s += "complete -c faultline -n __fish_use_subcommand -a " + std::string(c.name) + " -d " +
         fish_quoted(std::string(c.summary)) + "\n";
  for (const CommandSpec& c : command_table()) {
    const std::string when =
        "complete -c faultline -n '__fish_seen_subcommand_from " + std::string(c.name) + "'";
    for (const Flag& f : flags_of(c)) {
      std::string line = when;
      if (!f.short_name.empty()) line += " -s " + f.short_name;
      line += " -l " + f.long_name;
      if (f.takes_value) {
        if (const auto words = option_words(c.name, f.long_name); !words.empty())
          line += " -x -a " + fish_quoted(join(words));
        else if (option_is_file(f.long_name))
          line += " -r -F";
        else
          line += " -x";
      }
      s += line + " -d " + fish_quoted(first_line(f.description)) + "\n";
    }
    switch (c.operand) {
      case Operand::kScenario:
      case Operand::kScenarios:
        s += when + kFishFiles[0] + "\n";
        break;
      case Operand::kJson:
        s += when + kFishFiles[1] + "\n";
        break;
      case Operand::kFile:
        s += when + " -F\n";
        break;
      case Operand::kWords:
        s += when + " -x -a " + fish_quoted(join(c.words)) + "\n";
        break;
      case Operand::kNone:
        break;
    }
  }
  return s;
}

int completion_command(const Args& args) {
  const po::options_description opts = completion_options();
  const po::variables_map vm = parse_options(args, opts, "shell");
  if (vm.count("help")) {
    std::cout << opts
              << "\nPrints the completion script: subcommands, their flags and values, scenario "
                 "files.\n  bash: source <(faultline completion bash)\n  zsh:  faultline "
                 "completion zsh > \"${fpath[1]}/_faultline\"\n  fish: faultline completion fish "
                 "> ~/.config/fish/completions/faultline.fish\n";
    return kExitOk;
  }
  const std::vector<std::string> shell =
      vm.count("shell") ? vm["shell"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (shell.size() != 1) throw UsageError("name one shell: bash, zsh or fish");
  if (shell[0] == "bash")
    std::cout << bash_completion();
  else if (shell[0] == "zsh")
    std::cout << zsh_completion();
  else if (shell[0] == "fish")
    std::cout << fish_completion();
  else
    throw UsageError("unknown shell '" + shell[0] + "'; expected bash, zsh or fish");
  return kExitOk;
}

int man_command(const Args& args) {
  const po::options_description opts = man_options();
  const po::variables_map vm = parse_options(args, opts, "unexpected");
  if (vm.count("help")) {
    std::cout << opts << "\nPrints faultline(1) in roff: man -l <(faultline man)\n";
    return kExitOk;
  }
  if (vm.count("unexpected")) throw UsageError("man takes no file argument (use -o FILE)");
  if (vm.count("output"))
    write_file_atomically(vm["output"].as<std::string>(), man_page());
  else
    std::cout << man_page();
  return kExitOk;
}

}  // namespace faultline::cli
