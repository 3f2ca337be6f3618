// The end-to-end fixture: runs the real faultline binary from the source tree (scenario
// paths are relative to it) in a shell, with stdout and stderr captured to files in a
// per-test temporary folder, and no terminal — so progress is logged as lines.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace faultline::e2e {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("faultline_e2e_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs faultline from the source tree (scenario paths are relative to it).
  CliResult run(const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = "cd '" FAULTLINE_SOURCE_DIR "' && '" FAULTLINE_BINARY "' " + args +
                            " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out),
            slurp(err)};
  }
  std::string file(const std::string& name) { return (dir_ / name).string(); }
  fs::path dir_;
};

}  // namespace faultline::e2e
