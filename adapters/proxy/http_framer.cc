#include "adapters/proxy/http_framer.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "adapters/http/message.h"

namespace faultline::proxy {

namespace {

constexpr std::size_t kMaxLine = 8 * 1024;  // request/status line, chunk-size line
constexpr std::size_t kKeep = 256;          // remembered requests and responses

bool is_method_char(char c) {
  return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool contains_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (http::iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// Could `text` (an incomplete head) still become an HTTP/1.x message of this role?
bool plausible(std::string_view text, HttpFramer::Role role) {
  const auto eol = text.find("\r\n");
  const std::string_view line = text.substr(0, eol);
  if (eol == std::string_view::npos && line.size() > kMaxLine) return false;
  if (role == HttpFramer::Role::kResponses) {
    constexpr std::string_view kPrefix = "HTTP/1.";
    const std::size_t n = std::min(line.size(), kPrefix.size());
    return line.substr(0, n) == kPrefix.substr(0, n);
  }
  std::size_t i = 0;
  while (i < line.size() && is_method_char(line[i])) ++i;
  if (i == line.size()) return eol == std::string_view::npos && i < 32;  // method so far
  if (i == 0 || line[i] != ' ') return false;
  if (eol == std::string_view::npos) return true;  // the rest of the line may still come
  const auto last_space = line.rfind(' ');
  const std::string_view version = line.substr(last_space + 1);
  return last_space > i && (version == "HTTP/1.1" || version == "HTTP/1.0");
}

}  // namespace

void HttpExchange::remember_request(HttpRequestInfo info) {
  requests_.push_back(std::move(info));
  if (requests_.size() > kKeep) requests_.pop_front();
}

const HttpRequestInfo* HttpExchange::request(std::uint32_t message) const {
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
    if (it->message == message) return &*it;
  return nullptr;
}

void HttpExchange::forwarded(std::uint32_t message) {
  forwarded_.push_back(message);
  if (forwarded_.size() > kKeep) forwarded_.pop_front();
}

HttpRequestInfo HttpExchange::next_response_request() {
  if (forwarded_.empty()) return {};
  const std::uint32_t message = forwarded_.front();
  forwarded_.pop_front();
  if (const auto* info = request(message)) return *info;
  HttpRequestInfo unknown;
  unknown.message = message;
  return unknown;
}

void HttpExchange::bind_response(std::uint32_t response, HttpRequestInfo info) {
  responses_.emplace_back(response, std::move(info));
  if (responses_.size() > kKeep) responses_.pop_front();
}

const HttpRequestInfo* HttpExchange::response_request(std::uint32_t response) const {
  for (auto it = responses_.rbegin(); it != responses_.rend(); ++it)
    if (it->first == response) return &it->second;
  return nullptr;
}

void HttpFramer::emit(std::string_view bytes, TimePoint stamp, bool start,
                      std::vector<Chunk>& out) {
  while (!bytes.empty()) {  // a held head may exceed one block
    const std::size_t n = std::min(bytes.size(), BlockPool::kMaxBlock);
    Chunk c(pool_, bytes.substr(0, n), stamp);
    c.message = state_ == State::kOff ? Chunk::kNoMessage : index_;
    c.message_start = start;
    out.push_back(std::move(c));
    bytes.remove_prefix(n);
    start = false;
  }
}

void HttpFramer::switch_off(TimePoint stamp, std::vector<Chunk>& out) {
  state_ = State::kOff;
  emit(head_, stamp, false, out);
  head_.clear();
}

void HttpFramer::message_finished() {
  finished_final_ = role_ == Role::kRequests || !interim_;
  ++index_;
  if (role_ == Role::kRequests || !interim_) ++done_;
  interim_ = false;
  state_ = tunnel_after_ ? State::kOff : State::kHead;
}

bool HttpFramer::parse_head() {
  std::string_view head(head_);
  const auto eol = head.find("\r\n");
  const std::string_view first = head.substr(0, eol);
  std::int64_t content_length = -1;
  bool chunked = false, close = false, keep_alive = false, upgrade = false;
  std::string_view rest = head.substr(eol + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 2);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (http::iequals(name, "Content-Length")) {
      std::int64_t n = 0;
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n < 0) return false;
      if (content_length >= 0 && content_length != n) return false;  // conflicting lengths
      content_length = n;
    } else if (http::iequals(name, "Transfer-Encoding")) {
      const auto last = value.rfind(',');
      chunked = http::iequals(trim(value.substr(last == std::string_view::npos ? 0 : last + 1)),
                              "chunked");
      if (!chunked) return false;  // another final coding: length unknowable, don't guess
    } else if (http::iequals(name, "Connection")) {
      close = close || contains_token(value, "close");
      keep_alive = keep_alive || contains_token(value, "keep-alive");
      upgrade = upgrade || contains_token(value, "upgrade");
    } else if (http::iequals(name, "Upgrade")) {
      upgrade = true;
    }
  }
  bool has_body = false;
  if (role_ == Role::kRequests) {
    const auto sp1 = first.find(' '), sp2 = first.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 <= sp1) return false;
    const std::string_view version = first.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
    HttpRequestInfo info;
    info.message = index_;
    info.method = std::string(first.substr(0, sp1));
    const std::string_view target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    info.path = std::string(target.substr(0, target.find('?')));
    info.version_minor = version.back() - '0';
    info.close = close || (info.version_minor == 0 && !keep_alive);
    tunnel_after_ = upgrade || info.method == "CONNECT";
    exchange_.remember_request(info);
    has_body = chunked || content_length > 0;
  } else {
    if (first.size() < 12 || first.substr(0, 7) != "HTTP/1." || first[8] != ' ') return false;
    int status = 0;
    const auto [p, ec] = std::from_chars(first.data() + 9, first.data() + 12, status);
    if (ec != std::errc() || p != first.data() + 12 || status < 100) return false;
    if (status == 101) tunnel_after_ = true;
    interim_ = status < 200 && status != 101;
    if (!interim_) {
      HttpRequestInfo request = exchange_.next_response_request();
      const bool bodiless = request.method == "HEAD" || status == 204 || status == 304;
      exchange_.bind_response(index_, std::move(request));
      if (!bodiless && status != 101) {
        has_body = chunked || content_length > 0;
        if (!chunked && content_length < 0) {
          state_ = State::kUntilClose;
          return true;
        }
      }
    }
  }
  if (!has_body) {
    state_ = State::kHead;  // message_finished() is called by feed
    remaining_ = 0;
    return true;
  }
  if (chunked) {
    state_ = State::kChunkSize;
    line_.clear();
  } else {
    state_ = State::kBody;
    remaining_ = static_cast<std::uint64_t>(content_length);
  }
  return true;
}

std::size_t HttpFramer::advance_body(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    switch (state_) {
      case State::kBody: {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          message_finished();
          return i;
        }
        break;
      }
      case State::kUntilClose:
        return bytes.size();
      case State::kChunkSize:
      case State::kTrailer: {
        const char c = bytes[i++];
        if (c != '\n') {
          line_ += c;
          if (line_.size() > kMaxLine) {
            state_ = State::kOff;
            return i;
          }
          break;
        }
        std::string_view line(line_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (state_ == State::kTrailer) {
          const bool end = line.empty();
          line_.clear();
          if (end) {
            message_finished();
            return i;
          }
          break;
        }
        line = trim(line.substr(0, line.find(';')));
        std::uint64_t size = 0;
        const auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
        line_.clear();
        if (line.empty() || ec != std::errc() || p != line.data() + line.size()) {
          state_ = State::kOff;
          return i;
        }
        if (size == 0) {
          state_ = State::kTrailer;
        } else {
          state_ = State::kChunkData;
          remaining_ = size;
        }
        break;
      }
      case State::kChunkData: {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          state_ = State::kChunkDataEnd;
          remaining_ = 2;  // CRLF
        }
        break;
      }
      case State::kChunkDataEnd: {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::kChunkSize;
        break;
      }
      case State::kHead:
      case State::kOff:
        return i;
    }
  }
  return i;
}

void HttpFramer::feed(Chunk chunk, std::vector<Chunk>& out) {
  if (state_ == State::kOff) {
    out.push_back(std::move(chunk));
    return;
  }
  const std::string_view data = chunk.view();
  const TimePoint stamp = chunk.stamp;
  // A piece [from, to) of this chunk: the whole chunk moves; a part is copied.
  // `end`: the message finished inside it.
  auto piece = [&](std::size_t from, std::size_t to, std::uint32_t message, bool start) {
    const bool end = index_ != message && finished_final_;
    if (to <= from) {
      if (end && !out.empty() && out.back().message == message) out.back().message_end = true;
      return;
    }
    if (from == 0 && to == data.size()) {
      chunk.message = message;
      chunk.message_start = start;
      chunk.message_end = end;
      out.push_back(std::move(chunk));
      return;
    }
    Chunk c = chunk.slice(pool_, from, to - from);
    c.message = message;
    c.message_start = start;
    c.message_end = end;
    out.push_back(std::move(c));
  };
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (state_ == State::kOff) {
      piece(pos, data.size(), Chunk::kNoMessage, false);
      return;
    }
    if (state_ != State::kHead) {  // the body of a message begun in an earlier chunk
      const std::uint32_t message = index_;
      const std::size_t n = advance_body(data.substr(pos));
      piece(pos, pos + n, message, false);
      pos += n;
      continue;
    }
    const std::size_t held = head_.size();
    if (held == 0) head_stamp_ = stamp;
    head_.append(data.substr(pos));
    const auto end = head_.find("\r\n\r\n", held >= 3 ? held - 3 : 0);
    if (end == std::string::npos) {
      if (head_.size() > kMaxHead || !plausible(head_, role_)) switch_off(head_stamp_, out);
      return;  // held back (or, switched off, already emitted)
    }
    const std::size_t from_data = end + 4 - held;  // bytes of data[pos..] in the head
    head_.resize(end + 4);
    if (!plausible(head_, role_) || !parse_head()) {
      switch_off(head_stamp_, out);
      pos += from_data;
      continue;
    }
    const std::uint32_t message = index_;
    std::size_t message_from = pos;
    bool start_here = true;
    if (held > 0) {  // the head began in an earlier chunk: send it whole, from head_
      emit(head_, head_stamp_, true, out);
      message_from = pos + from_data;
      start_here = false;
    }
    head_.clear();
    pos += from_data;
    if (state_ == State::kHead)
      message_finished();
    else
      pos += advance_body(data.substr(pos));
    piece(message_from, pos, message, start_here);
  }
}

void HttpFramer::finish(std::vector<Chunk>& out) {
  if (!head_.empty()) switch_off(head_stamp_, out);
}

}  // namespace faultline::proxy
