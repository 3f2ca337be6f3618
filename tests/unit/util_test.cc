// Small utilities (the plug-in registry's contract is registry_test.cc): SHA-256 against
// FIPS 180-4 vectors; atomic writes replace a file (or a set of files) as a whole — a reader
// holding the old file keeps it, a failed write leaves the old files and no temporary — and output
// paths are checked without creating anything.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
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
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(folder)) ++n;
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
