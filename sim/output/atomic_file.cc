#include "sim/output/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace faultline {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what) {
  throw OutputError("cannot write " + path.string() + ": " + what + ": " + std::strerror(errno));
}

std::filesystem::path temporary(const std::filesystem::path& path) {
  return path.string() + ".tmp." + std::to_string(::getpid());
}

// A run killed outright (SIGKILL, the OOM killer) between writing its temporaries and
// renaming them leaves `<file>.tmp.<pid>` behind; the next write of that file removes
// those whose process is gone, so they never accumulate beside the outputs.
void remove_stale_temporaries(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = path.filename().string() + ".tmp.";
  std::error_code ignored;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos ||
        pid_text.size() > 9)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ignored);
  }
}

// Creates `path` and writes `content` to it, unflushed; returns the open descriptor. On
// failure nothing is left behind.
int write_unflushed(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "open");
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      ::unlink(path.c_str());
      errno = saved;
      fail(path, "write");
    }
    done += static_cast<std::size_t>(n);
  }
  return fd;
}

// Writes `content` to `path`'s temporary and flushes it to disk; returns the temporary.
std::filesystem::path write_temporary(const std::filesystem::path& path, std::string_view content) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw OutputError("cannot create folder " + path.parent_path().string() + ": " +
                        ec.message());
  }
  remove_stale_temporaries(path);
  const std::filesystem::path tmp = temporary(path);
  const int fd = write_unflushed(tmp, content);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail(tmp, "flush");
  }
  return tmp;
}

// Flushes the written files and their folder to disk, all at once, and closes the files.
// Concurrent flushes on one file system share a journal commit (ext4's jbd2, XFS's log
// force), so a set of three or four files costs about one commit instead of one each:
// the six sequential fsyncs of a run's outputs were 6–8 ms of wall time (issue 21,
// docs/performance.md). A thread that cannot be started flushes its file in line.
void flush_together(const std::vector<std::pair<int, std::filesystem::path>>& files,
                    const std::filesystem::path& folder) {
  std::vector<int> errors(files.size(), 0);
  const auto flush = [&](std::size_t k) {
    if (::fsync(files[k].first) != 0) errors[k] = errno;
  };
  {
    std::vector<std::jthread> threads;
    for (std::size_t k = 1; k < files.size(); ++k) {
      try {
        threads.emplace_back(flush, k);
      } catch (const std::system_error&) {
        flush(k);
      }
    }
    if (!files.empty()) flush(0);
    // The folder's entries (the new files) too; durability only, as in sync_folder.
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }  // the threads are joined here
  std::size_t failed = files.size();
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (::close(files[k].first) != 0 && errors[k] == 0) errors[k] = errno;
    if (errors[k] != 0 && failed == files.size()) failed = k;
  }
  if (failed < files.size()) {
    errno = errors[failed];
    fail(files[failed].second, "flush");
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_files_atomically({{path, std::string(content)}});
}

// A set of outputs is one generation (docs/reliability.md, "Outputs"). In each folder F
// that holds files of the set:
//   F/results.json -> .faultline-outputs/current/results.json  (a symlink, made once)
//   F/.faultline-outputs/current -> g<pid>-<n>                  (one rename switches it)
//   F/.faultline-outputs/g<pid>-<n>/results.json                (the generation's files)
// Every file of a generation is written and flushed before `current` is renamed, so a
// reader (faultline or any other program following the links) sees the whole old set or
// the whole new one, whatever instant the process is killed at. Why not swap the folder
// itself: `--out .` and folders holding other files must keep working.
namespace {

constexpr const char* kSetFolder = ".faultline-outputs";

void (*g_step_hook)(int) = nullptr;
int g_step = 0;

// Test hook: every durable step of a set's write calls it with its number.
void step() {
  if (g_step_hook) g_step_hook(++g_step);
}

std::string link_text(const std::string& name) {
  return std::string(kSetFolder) + "/current/" + name;
}

bool is_set_link(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) return false;
  const std::filesystem::path target = std::filesystem::read_symlink(path, ec);
  return !ec && target == link_text(path.filename().string());
}

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // durability only; the rename order already makes the set whole
  ::fsync(fd);
  ::close(fd);
}

// Whether what process `pid_text` left in a set folder is abandoned: the process is gone
// (killed), or it is this one — which writes one set into a folder at a time, so nothing
// of its own is in progress there when a new write starts.
bool abandoned(const std::string& pid_text) {
  if (pid_text.empty() || pid_text.size() > 9 ||
      pid_text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const auto pid = static_cast<pid_t>(std::stol(pid_text));
  return pid == ::getpid() || (::kill(pid, 0) != 0 && errno == ESRCH);
}

// Generations (g<pid>-<n>, m<pid>-<n>) and link temporaries (current.tmp.<pid>) left by
// processes killed before their switch, or after it and before removing the previous
// generation — except the one `current` names.
void remove_stale_generations(const std::filesystem::path& sets, const std::string& current) {
  namespace fs = std::filesystem;
  std::error_code ec, ignored;
  for (fs::directory_iterator it(sets, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "current" || name == current) continue;
    std::string pid;
    if (const auto tmp = name.rfind(".tmp."); tmp != std::string::npos)
      pid = name.substr(tmp + 5);
    else if ((name[0] == 'g' || name[0] == 'm') && name.find('-') != std::string::npos)
      pid = name.substr(1, name.find('-') - 1);
    if (abandoned(pid)) fs::remove_all(it->path(), ignored);
  }
}

std::string current_generation(const std::filesystem::path& sets) {
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::read_symlink(sets / "current", ec);
  return ec ? std::string() : target.string();
}

std::string new_generation_name(char kind) {
  static int counter = 0;
  return kind + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// `path` -> `target` by a rename over it: the one atomic step of each switch.
void link_over(const std::filesystem::path& path, const std::string& target) {
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) fail(tmp, "symlink");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail(path, "rename");
  }
  step();
}

void switch_current(const std::filesystem::path& sets, const std::string& generation) {
  link_over(sets / "current", generation);
  sync_folder(sets);
}

// The files of one folder of the set.
struct FolderSet {
  std::filesystem::path folder;
  std::vector<std::pair<std::string, const std::string*>> files;  // name, content
  std::filesystem::path generation;                               // written by prepare
};

// Writes the folder's files into a new generation; nothing visible changes.
void prepare(FolderSet& f) {
  namespace fs = std::filesystem;
  const fs::path sets = f.folder / kSetFolder;
  std::error_code ec;
  fs::create_directories(sets, ec);
  if (ec) throw OutputError("cannot create folder " + sets.string() + ": " + ec.message());
  remove_stale_generations(sets, current_generation(sets));
  for (const auto& [name, content] : f.files) remove_stale_temporaries(f.folder / name);
  f.generation = sets / new_generation_name('g');
  if (::mkdir(f.generation.c_str(), 0755) != 0) fail(f.generation, "mkdir");
  // The files take their own names at once: no reader looks into a generation before
  // `current` names it, and one that never gets named is removed as stale.
  std::vector<std::pair<int, fs::path>> written;
  try {
    for (const auto& [name, content] : f.files) {
      written.emplace_back(write_unflushed(f.generation / name, *content), f.generation / name);
      step();
    }
  } catch (...) {
    for (const auto& [fd, path] : written) ::close(fd);
    throw;
  }
  flush_together(written, f.generation);
}

// Makes the prepared generation the folder's visible set, in one rename.
void commit(const FolderSet& f) {
  namespace fs = std::filesystem;
  const fs::path sets = f.folder / kSetFolder;
  std::error_code ec, ignored;
  // Names that are plain files (from an older faultline, or `report -o`) become links,
  // but first their content moves into a generation of its own, made current: each
  // name keeps showing what it showed, and from then on they all switch together.
  bool plain = false;
  for (const auto& [name, content] : f.files)
    plain = plain ||
            (fs::exists(fs::symlink_status(f.folder / name, ec)) && !is_set_link(f.folder / name));
  if (plain) {
    const fs::path m = sets / new_generation_name('m');
    if (::mkdir(m.c_str(), 0755) != 0) fail(m, "mkdir");
    for (const auto& [name, content] : f.files) {
      const fs::path from = f.folder / name;
      if (!fs::exists(from, ec)) continue;  // a dangling link or nothing: stays absent
      // AT_SYMLINK_FOLLOW: a name that is already a link gives its file, not the link.
      if (::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, (m / name).c_str(), AT_SYMLINK_FOLLOW) != 0) {
        fs::copy_file(from, m / name, ec);  // a file system without hard links
        if (ec) throw OutputError("cannot write " + (m / name).string() + ": " + ec.message());
      }
    }
    sync_folder(m);
    const std::string previous = current_generation(sets);
    switch_current(sets, m.filename().string());
    if (!previous.empty()) fs::remove_all(sets / previous, ignored);
    for (const auto& [name, content] : f.files)
      if (fs::exists(fs::symlink_status(f.folder / name, ec)) && !is_set_link(f.folder / name))
        link_over(f.folder / name, link_text(name));
  }
  // New names get their link before the switch: it dangles (the name is absent, as in
  // the old set) until then.
  for (const auto& [name, content] : f.files)
    if (!fs::exists(fs::symlink_status(f.folder / name, ec))) {
      if (::symlink(link_text(name).c_str(), (f.folder / name).c_str()) != 0)
        fail(f.folder / name, "symlink");
      step();
    }
  sync_folder(f.folder);
  const std::string previous = current_generation(sets);
  switch_current(sets, f.generation.filename().string());
  // After the switch: the previous generation, and the links of names it had and this
  // one lacks (e.g. a report.html of an earlier run with --report).
  if (!previous.empty() && previous != f.generation.filename().string())
    fs::remove_all(sets / previous, ignored);
  for (fs::directory_iterator it(f.folder, ec), end; !ec && it != end; it.increment(ec))
    if (is_set_link(it->path()) && !fs::exists(it->path(), ignored))
      fs::remove(it->path(), ignored);
}

}  // namespace

void set_output_step_hook(void (*hook)(int step)) {
  g_step_hook = hook;
  g_step = 0;
}

void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
  namespace fs = std::filesystem;
  if (files.size() == 1) {  // one file is whole by its own rename (a shard file)
    const fs::path tmp = write_temporary(files[0].first, files[0].second);
    if (std::rename(tmp.c_str(), files[0].first.c_str()) != 0) {
      const int saved = errno;
      ::unlink(tmp.c_str());
      errno = saved;
      fail(files[0].first, "rename");
    }
    return;
  }
  std::vector<FolderSet> folders;
  for (const auto& [path, content] : files) {
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    auto it = std::find_if(folders.begin(), folders.end(),
                           [&](const FolderSet& f) { return f.folder == folder; });
    if (it == folders.end()) it = folders.insert(folders.end(), FolderSet{folder, {}, {}});
    it->files.emplace_back(path.filename().string(), &content);
  }
  // Every folder's generation is written before any is switched: a file that cannot be
  // written leaves every folder as it was.
  try {
    for (FolderSet& f : folders) prepare(f);
  } catch (...) {
    std::error_code ignored;
    for (const FolderSet& f : folders)
      if (!f.generation.empty()) fs::remove_all(f.generation, ignored);
    throw;
  }
  // One rename per folder: a set in one folder (results.json, runs.jsonl, results.csv,
  // report.html) switches at once; a --report page elsewhere switches just after.
  for (const FolderSet& f : folders) commit(f);
}

void check_writable(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  const auto refuse = [&](const std::string& why) {
    throw OutputError("cannot write " + path.string() + ": " + why);
  };
  std::error_code ec;
  for (const auto& part : path)
    if (part.native().size() > 255)  // NAME_MAX on every Linux file system
      refuse("the name '" + part.native().substr(0, 40) + "...' is longer than 255 bytes");
  if (path.native().size() >= 4096) refuse("the path is longer than 4095 bytes");
  if (fs::is_directory(path, ec)) refuse("it is a folder; name a file");
  // The nearest folder that exists: everything below it will be created.
  fs::path folder = path.parent_path();
  while (!folder.empty() && !fs::exists(folder, ec)) folder = folder.parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder, ec)) refuse(folder.string() + " is not a folder");
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    refuse("the folder " + folder.string() + " is not writable (" + std::strerror(errno) + ")");
}

}  // namespace faultline
