// faultline's entry point: dispatches to a subcommand and turns every failure into a
// clear message on stderr and a documented exit code — never a stack trace or an abort.
#include <iostream>
#include <string>

#include "adapters/proxy/cli.h"
#include "faultline/version.h"
#include "sim/cli/commands.h"
#include "sim/cli/failure.h"

namespace {

constexpr const char* kUsage =
    "faultline — simulate reminder and payment systems under faults, compare mitigations\n"
    "\n"
    "usage: faultline <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO        run a scenario; write results.json, runs.jsonl; print a summary\n"
    "  validate SCENARIO…  check scenario files without running them\n"
    "  list WHAT           print the catalogue: faults, mitigations or metrics\n"
    "  check SCENARIO…     run scenarios and judge their `expect:` entries (CI; --junit)\n"
    "  report RESULTS -o F write the HTML report of a results.json\n"
    "  proxy               a fault-injecting TCP proxy with Toxiproxy's API (live)\n"
    "  inject SCENARIO     play a scenario's faults on live proxies in scaled time\n"
    "  vendor SCENARIO     emulate the scenario's SMS vendors (Twilio's Messages API)\n"
    "  compare LEDGER      a live emulator run beside the simulator's prediction\n"
    "  fit LOG             vendor and carrier parameters from a delivery log\n"
    "  init FILE           write a commented starter scenario (--template NAME)\n"
    "  explain SCENARIO    the scenario's timeline in words, without running it\n"
    "  schema              the JSON Schema of scenario files, for editors\n"
    "  completion SHELL    the shell completion script for bash, zsh or fish\n"
    "  man                 the man page (roff)\n"
    "  merge DIR… --out O  merge shard files (`run --shard K/N`) into one set of results\n"
    "\n"
    "  faultline <command> --help   options of a command\n"
    "  faultline --version          version, git revision and build type\n"
    "\n"
    "exit codes: 0 ok, 1 expectations failed, 2 usage, scenario or output-path error,\n"
    "            3 internal error, 4 merge: another wave of shards is needed,\n"
    "            130 interrupted (Ctrl-C; nothing written)\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace faultline;
  using namespace faultline::cli;
  const Args all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
    std::cout << kUsage;
    return all.empty() ? kExitBadInput : kExitOk;
  }
  if (all[0] == "--version") {
    std::cout << "faultline " << kToolVersion << " (git " << kGitRevision << ", " << kBuildType
              << " build)\n";
    return kExitOk;
  }
  const std::string command = all[0];
  const Args rest(all.begin() + 1, all.end());
  try {
    if (command == "run") return run_command(rest);
    if (command == "validate") return validate_command(rest);
    if (command == "list") return list_command(rest);
    if (command == "report") return report_command(rest);
    if (command == "check") return check_command(rest);
    if (command == "merge") return merge_command(rest);
    if (command == "proxy") return proxy::proxy_command(rest);
    if (command == "inject") return proxy::inject_command(rest);
    if (command == "fit") return fit_command(rest);
    if (command == "vendor") return vendor_command(rest);
    if (command == "compare") return compare_command(rest);
    if (command == "schema") return schema_command(rest);
    if (command == "init") return init_command(rest);
    if (command == "explain") return explain_command(rest);
    if (command == "completion") return completion_command(rest);
    if (command == "man") return man_command(rest);
    std::cerr << "faultline: unknown command '" << command
              << "'; expected run, validate, list, check, report, merge, proxy, inject, vendor, "
                 "compare, fit, init, explain, schema, completion or man\n\n"
              << kUsage;
    return kExitBadInput;
  } catch (...) {
    std::string message;
    const int code = describe_failure(command, message);
    std::cerr << message;
    return code;
  }
}
