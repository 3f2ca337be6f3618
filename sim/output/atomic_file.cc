#include "sim/output/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

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
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(tmp, "open");
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(tmp, "write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail(tmp, "flush");
  }
  return tmp;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_files_atomically({{path, std::string(content)}});
}

void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
  std::vector<std::filesystem::path> written;
  const auto discard = [&] {
    for (const auto& tmp : written) ::unlink(tmp.c_str());
  };
  try {
    for (const auto& [path, content] : files) written.push_back(write_temporary(path, content));
  } catch (...) {
    discard();
    throw;
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::rename(written[i].c_str(), files[i].first.c_str()) != 0) {
      const int saved = errno;
      for (std::size_t j = i; j < files.size(); ++j) ::unlink(written[j].c_str());
      errno = saved;
      fail(files[i].first, "rename");
    }
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
