// HTTP/1.1 requests and responses as plain values, for the adapters' servers and clients
// (adapters/http/server.h, client.h). They hold no sockets and no Boost.Beast types, so a
// handler is an ordinary function from a Request to a Response that a unit test can call
// without a network, and the Beast headers stay inside two .cc files.
//
// Header names compare case-insensitively (RFC 9110 §5.1) and keep their order and
// duplicates. Bodies are whole strings: the server enforces its size limits before a
// handler ever sees one.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::http {

class Headers {
 public:
  // The first value of `name`, or nothing.
  std::optional<std::string_view> get(std::string_view name) const;
  std::string value_or(std::string_view name, std::string_view fallback) const;
  // Replaces every field called `name` by one.
  void set(std::string_view name, std::string value);
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  void erase(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);

// Thrown by a handler (or by Request::json) to answer with `status` and `what()`; the
// router turns it into a response with its error formatter.
struct HttpError : std::runtime_error {
  HttpError(int status_code, const std::string& message)
      : std::runtime_error(message), status(status_code) {}
  int status;
};

struct Request {
  std::string method;     // "GET", "POST", ... as sent (methods are case-sensitive)
  std::string target;     // as sent: "/proxies/redis?x=1"
  std::string path;       // percent-decoded path of the target: "/proxies/redis"
  std::string query;      // raw query, without '?'
  unsigned version = 11;  // 10 or 11
  Headers headers;
  std::string body;
  std::string remote;  // peer address "ip:port"; empty when not from a socket
  // Captures of the route pattern, e.g. {"proxy": "redis"} for /proxies/{proxy}.
  std::map<std::string, std::string, std::less<>> params;

  std::string param(std::string_view name) const;
  // The body as JSON; throws HttpError(400) naming the parse error.
  nlohmann::json json() const;
  // application/x-www-form-urlencoded fields of the body (POST) or query (GET), in order.
  std::vector<std::pair<std::string, std::string>> form() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(int status, const nlohmann::ordered_json& value);
  static Response json(int status, const nlohmann::json& value);
  // `text` plus a newline, as text/plain; charset=utf-8 (what Go's http.Error sends).
  static Response text(int status, std::string_view text);
  static Response empty(int status);  // no body (204, 304, ...)
  Response& with_header(std::string_view name, std::string value) {
    headers.set(name, std::move(value));
    return *this;
  }
};

// "Not Found" for 404, and so on; "Unknown" for codes outside RFC 9110's list.
std::string_view reason_phrase(int status);

}  // namespace faultline::http
