// The faultline subcommands. Each takes its own arguments (after the subcommand name)
// and returns the process exit code: 0 ok, 1 expectations failed, 2 usage or scenario
// error, 3 internal error, 4 another wave of shards needed (merge; docs/scale-out.md).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace boost::program_options {
class options_description;
}

namespace faultline::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationsFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitAnotherWave = 4;  // merge: the loop asks for another wave of shards

using Args = std::vector<std::string>;

int run_command(const Args& args);
int validate_command(const Args& args);
int list_command(const Args& args);
int report_command(const Args& args);  // cmd_report.cc
int check_command(const Args& args);   // cmd_check.cc
// The SMS-vendor emulator and its companions (adapters/vendor, docs/adapters.md).
int vendor_command(const Args& args);   // cmd_vendor.cc
int fit_command(const Args& args);      // cmd_fit.cc
int compare_command(const Args& args);  // cmd_compare.cc
int merge_command(const Args& args);    // cmd_merge.cc
// Shipping it (issue 20): editor schema, starter scenarios, completions, man page.
int schema_command(const Args& args);      // cmd_schema.cc
int init_command(const Args& args);        // cmd_init.cc
int explain_command(const Args& args);     // cmd_init.cc
int completion_command(const Args& args);  // command_table.cc
int man_command(const Args& args);         // command_table.cc

// Each command's options, the one source of its --help, the man page and the shell
// completions (command_table.h). Defined beside the command.
boost::program_options::options_description run_options();
boost::program_options::options_description validate_options();  // cmd_validate.cc
boost::program_options::options_description list_options();      // cmd_validate.cc
boost::program_options::options_description check_options();
boost::program_options::options_description report_options();
boost::program_options::options_description vendor_options();
boost::program_options::options_description fit_options();
boost::program_options::options_description compare_options();
boost::program_options::options_description schema_options();
boost::program_options::options_description init_options();
boost::program_options::options_description explain_options();
boost::program_options::options_description merge_options();  // cmd_merge.cc

// A usage problem: printed with the subcommand's help hint, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace faultline::cli
