// Small utilities (the plug-in registry's contract is registry_test.cc): SHA-256 against
// FIPS 180-4 vectors; atomic writes replace a file (or a set of files) as a whole — a reader
// holding the old file keeps it, a failed write leaves the old files and no temporary — and output
// paths are checked without creating anything.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "sim/output/atomic_file.h"
#include "sim/util/sha256.h"

namespace faultline {
namespace {

TEST(Sha256, MatchesPublishedVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline_atomic_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  int entries(const std::filesystem::path& folder) {
    int n = 0;
    // What a user sees: the set's hidden generation folder is not counted.
    for (const auto& e : std::filesystem::directory_iterator(folder))
      n += e.path().filename().string()[0] != '.';
    return n;
  }
  std::filesystem::path dir_;
};

TEST_F(AtomicFile, ReplacesTheFileAsAWholeNeverWritingIntoTheOldOne) {
  const auto path = dir_ / "sub" / "results.json";
  write_file_atomically(path, "first version, longer than the second");
  // A reader that opened the old file keeps reading the old file: the new content went
  // to a new file renamed over the path. Writing in place (truncate, then write) would
  // change what this reader sees, and a crash in between would leave a torn file.
  const int old_fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(old_fd, 0);
  struct stat before {};
  ASSERT_EQ(::fstat(old_fd, &before), 0);
  write_file_atomically(path, "second");
  char buf[64] = {};
  const ssize_t n = ::pread(old_fd, buf, sizeof buf - 1, 0);
  ::close(old_fd);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))),
            "first version, longer than the second");
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "a new file took the name";
  EXPECT_EQ(read(path), "second");
  EXPECT_EQ(entries(path.parent_path()), 1) << "no temporary left behind";
  EXPECT_THROW(write_file_atomically("/proc/forbidden/x.json", "x"), OutputError);
}

TEST_F(AtomicFile, ASetIsWrittenWholeOrNotAtAll) {
  const auto a = dir_ / "out" / "results.json", b = dir_ / "out" / "runs.jsonl";
  write_files_atomically({{a, "old a"}, {b, "old b"}});
  // The third file cannot be written: nothing of the set replaces anything.
  EXPECT_THROW(write_files_atomically({{a, "new a"}, {b, "new b"}, {"/proc/forbidden/c", "c"}}),
               OutputError);
  EXPECT_EQ(read(a), "old a");
  EXPECT_EQ(read(b), "old b");
  EXPECT_EQ(entries(dir_ / "out"), 2) << "the temporaries of a and b were removed";
  write_files_atomically({{a, "new a"}, {b, "new b"}});
  EXPECT_EQ(read(a) + read(b), "new anew b");
}

// The names of a set and what each shows ("" when absent), following the links.
using Shown = std::map<std::string, std::string>;
Shown shown(const std::filesystem::path& folder) {
  Shown out;
  for (const char* name : {"results.json", "runs.jsonl", "results.csv", "report.html"})
    out[name] = std::filesystem::exists(folder / name) ? read(folder / name) : "";
  return out;
}

int g_kill_at = 0;

TEST_F(AtomicFile, ASetKilledAtAnyStepShowsTheWholeOldSetOrTheWholeNewOne) {
  // A child writes a set and is killed (SIGKILL, nothing cleaned up) after its 1st,
  // 2nd, ... durable step, until it gets through; after each kill the folder must show
  // the whole old set or the whole new one. From three starting points: nothing, plain
  // files (an older faultline), and a set with a report.html the new set lacks.
  namespace fs = std::filesystem;
  const fs::path out = dir_ / "out";
  const auto set = [&](const std::string& tag, bool report) {
    std::vector<std::pair<fs::path, std::string>> files = {{out / "results.json", tag + " json"},
                                                           {out / "runs.jsonl", tag + " runs"},
                                                           {out / "results.csv", tag + " csv"}};
    if (report) files.emplace_back(out / "report.html", tag + " report");
    return files;
  };
  const auto shows = [&](const std::vector<std::pair<fs::path, std::string>>& files) {
    Shown s = {{"results.json", ""}, {"runs.jsonl", ""}, {"results.csv", ""}, {"report.html", ""}};
    for (const auto& [path, content] : files) s[path.filename().string()] = content;
    return s;
  };
  const auto new_set = set("new", false);
  struct Start {
    const char* what;
    std::function<void()> make;
    Shown old;
  };
  const std::vector<Start> starts = {
      {"an empty folder", [] {}, shows({})},
      {"plain files",
       [&] {
         fs::create_directories(out);
         for (const auto& [path, content] : set("old", true)) std::ofstream(path) << content;
       },
       shows(set("old", true))},
      {"a set with a report", [&] { write_files_atomically(set("old", true)); },
       shows(set("old", true))}};
  for (const Start& start : starts) {
    // Plain files are the user's until a set names them: a plain report.html stays.
    Shown fresh = shows(new_set);
    if (std::string(start.what) == "plain files") fresh["report.html"] = "old report";
    int kills = 0;
    for (g_kill_at = 1; g_kill_at < 100; ++g_kill_at) {
      fs::remove_all(out);
      start.make();
      const pid_t child = ::fork();
      ASSERT_GE(child, 0);
      if (child == 0) {
        set_output_step_hook([](int step) {
          if (step == g_kill_at) ::raise(SIGKILL);
        });
        write_files_atomically(new_set);
        ::_exit(0);
      }
      int status = 0;
      ASSERT_EQ(::waitpid(child, &status, 0), child);
      const Shown now = shown(out);
      EXPECT_TRUE(now == start.old || now == fresh)
          << start.what << ", killed after step " << g_kill_at << ": results.json '"
          << now.at("results.json") << "', runs.jsonl '" << now.at("runs.jsonl")
          << "', results.csv '" << now.at("results.csv") << "', report.html '"
          << now.at("report.html") << "'";
      // The next write (this process) shows the new set and removes what the child left.
      write_files_atomically(new_set);
      EXPECT_EQ(shown(out), fresh) << start.what << ", step " << g_kill_at;
      int generations = 0;
      for (const auto& e : fs::directory_iterator(out / ".faultline-outputs"))
        generations += e.path().filename() != "current";
      EXPECT_EQ(generations, 1) << start.what << ", step " << g_kill_at;
      for (const auto& e : fs::directory_iterator(out))
        EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
      if (WIFEXITED(status)) break;  // got through: every step has been tried
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
      ++kills;
    }
    EXPECT_GE(kills, 4) << start.what << ": the write has at least a step per file and a switch";
  }
}

TEST_F(AtomicFile, ASetInTheCurrentFolderKeepsTheFolderItsOtherFiles) {
  // `--out .`: the set's names are links in the current folder; other files stay.
  namespace fs = std::filesystem;
  fs::create_directories(dir_);
  std::ofstream(dir_ / "notes.txt") << "mine";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir_.c_str()) != 0) ::_exit(2);
    write_files_atomically({{"results.json", "one"}, {"runs.jsonl", "one"}});
    write_files_atomically({{"results.json", "two"}, {"runs.jsonl", "two"}});
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(read(dir_ / "results.json") + read(dir_ / "runs.jsonl"), "twotwo");
  EXPECT_EQ(read(dir_ / "notes.txt"), "mine");
  EXPECT_EQ(entries(dir_), 3);
}

TEST_F(AtomicFile, WritablePathsAreCheckedWithoutCreatingAnything) {
  EXPECT_NO_THROW(check_writable(dir_ / "a" / "b" / "results.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "checking creates nothing";
  std::filesystem::create_directories(dir_);
  write_file_atomically(dir_ / "file", "x");
  try {
    check_writable(dir_ / "file" / "results.json");
    FAIL() << "a file on the way";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir_ / "file" / "results.json").string() +
                                         ": " + (dir_ / "file").string() + " is not a folder");
  }
  EXPECT_THROW(check_writable(dir_), OutputError) << "a folder is not a file name";
  EXPECT_NO_THROW(check_writable("results.json")) << "the current folder";
  if (::geteuid() != 0) {  // root writes anywhere
    std::filesystem::create_directories(dir_ / "ro");
    std::filesystem::permissions(
        dir_ / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    EXPECT_THROW(check_writable(dir_ / "ro" / "x.json"), OutputError);
  }
}

}  // namespace
}  // namespace faultline
