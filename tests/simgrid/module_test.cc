// The SimGrid engine as a module (sim/engines/simgrid/module.h): the faultline binary does
// not link SimGrid (a process that never uses the engine does not pay its ~25 ms of
// dynamic loading), the module sits beside it in the build tree, and a missing module is
// bad input with a clear message and exit code 2, not a crash.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "simgrid_fixture.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// The command's standard output and error, and its exit status.
std::string capture(const std::string& cmd, int& status) {
  std::string out;
  FILE* pipe = ::popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  status = ::pclose(pipe);
  return out;
}

TEST(SimgridModule, TheCliDoesNotLinkSimgrid) {
  int status = -1;
  const std::string dynamic = capture(std::string("readelf -d '") + FAULTLINE_BINARY + "'", status);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << dynamic;
  EXPECT_NE(dynamic.find("(NEEDED)"), std::string::npos) << dynamic;
  EXPECT_EQ(dynamic.find("libsimgrid"), std::string::npos) << dynamic;
  // Where run_simgrid looks first in a build tree: beside the binary.
  EXPECT_TRUE(fs::exists(fs::path(FAULTLINE_BINARY).parent_path() / "libfaultline_simgrid.so"));
}

TEST(SimgridModule, AMissingModuleIsBadInputNamingThePath) {
  const fs::path dir =
      fs::temp_directory_path() / ("faultline_simgrid_module_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path scenario = dir / "network.yaml";
  std::ofstream(scenario) << testing::replaced(
      testing::read_source("scenarios/network-cutover-export.yaml"), "borrowers: 200000",
      "borrowers: 2000");
  const std::string missing = (dir / "nowhere" / "libfaultline_simgrid.so").string();
  int status = -1;
  const std::string out = capture(
      "FAULTLINE_SIMGRID_MODULE='" + missing + "' '" + FAULTLINE_BINARY + "' run '" +
          scenario.string() + "' --replications 1 --jobs 1 --out '" + (dir / "out").string() + "'",
      status);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << out;
  EXPECT_NE(out.find("engine simgrid: cannot load " + missing + ": "), std::string::npos) << out;
  EXPECT_EQ(out.find("terminate"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "out" / "results.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faultline
