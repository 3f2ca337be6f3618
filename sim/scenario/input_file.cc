#include "sim/scenario/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace faultline {

std::size_t input_limit(std::size_t default_bytes) {
  const char* env = std::getenv("FAULTLINE_MAX_INPUT_MB");
  if (env == nullptr || *env == '\0') return default_bytes;
  char* end = nullptr;
  errno = 0;
  const long long mb = std::strtoll(env, &end, 10);
  if (errno != 0 || *end != '\0' || mb < 1 || mb > 4096)
    throw ScenarioError("FAULTLINE_MAX_INPUT_MB", {},
                        std::string("'") + env + "' is not a whole number of MiB from 1 to 4096");
  return static_cast<std::size_t>(mb) << 20;
}

namespace {

std::string mib(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

[[noreturn]] void too_big(const std::string& path, std::string_view what, std::size_t limit) {
  throw ScenarioError(path, {},
                      "the " + std::string(what) + " is larger than the " + mib(limit) +
                          " limit; expected a smaller file (raise the limit with "
                          "FAULTLINE_MAX_INPUT_MB=N if this file is genuine)");
}

}  // namespace

std::string read_input_file(const std::string& path, std::string_view what,
                            std::size_t default_limit_bytes) {
  const std::size_t limit = input_limit(default_limit_bytes);
  const std::string kind(what);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw ScenarioError(path, {},
                        "cannot open the " + kind + " (does it exist and is it readable?)");
  if (S_ISDIR(st.st_mode)) throw ScenarioError(path, {}, "is a folder; expected a " + kind);
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limit)
    too_big(path, what, limit);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    throw ScenarioError(
        path, {}, "cannot open the " + kind + ": " + std::strerror(errno) + " (is it readable?)");
  // Blocking reads from here (a FIFO opened non-blocking would read as empty at once).
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      throw ScenarioError(path, {}, "cannot read the " + kind + ": " + std::strerror(saved));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > limit) {
      ::close(fd);
      too_big(path, what, limit);
    }
  }
  ::close(fd);
  require_utf8(text, path);
  return text;
}

std::optional<Utf8Error> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  int line = 1, column = 1;
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c < 0x80) {
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    }
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (s[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (ok && len > 1) ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    // The lead byte of a broken sequence is the one to report: a Latin-1 'é' (0xE9)
    // followed by ASCII is the user's one wrong character.
    if (!ok) return Utf8Error{i, {line, column}, c};
    if (c == '\n')
      ++line, column = 1;
    else
      ++column;
    i += len;
  }
  return std::nullopt;
}

void require_utf8(std::string_view text, const std::string& file) {
  if (const auto bad = find_invalid_utf8(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", bad->byte);
    throw ScenarioError(file, bad->loc,
                        std::string("invalid UTF-8 (byte ") + hex +
                            "); expected UTF-8 text — re-save the file as UTF-8 (e.g. "
                            "`iconv -f latin1 -t utf-8`)");
  }
}

}  // namespace faultline
