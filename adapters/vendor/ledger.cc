#include "adapters/vendor/ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace faultline::vendor {

Ledger::Ledger(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error(path + ": cannot create the ledger: " + std::strerror(errno));
}

Ledger::~Ledger() {
  if (fd_ >= 0) ::close(fd_);
}

Ledger& Ledger::operator=(Ledger&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    path_ = std::move(o.path_);
    lines_ = o.lines_;
  }
  return *this;
}

void Ledger::write(const nlohmann::ordered_json& line) {
  if (fd_ < 0) return;
  buffer_ = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  buffer_ += '\n';
  const char* p = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      // A full disk must not take the emulator down mid-test: say so once and stop writing.
      const int err = errno;
      ::close(fd_);
      fd_ = -1;
      throw std::runtime_error(path_ + ": ledger write failed: " + std::strerror(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ++lines_;
}

}  // namespace faultline::vendor
