#include "adapters/http/router.h"

#include <memory>

#include "adapters/http/form.h"

namespace faultline::http {

namespace {
std::vector<std::string> split_path(std::string_view path, bool decode) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    out.push_back(decode ? url_decode(segment) : std::string(segment));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
}  // namespace

Router& Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  return add_async(method, pattern, [handler = std::move(handler)](const Request& r, Reply reply) {
    reply(handler(r));
  });
}

Router& Router::add_async(std::string_view method, std::string_view pattern, AsyncHandler handler) {
  routes_.push_back({std::string(method), split_path(pattern, false), std::move(handler)});
  return *this;
}

Router& Router::set_filter(Filter filter) {
  filter_ = std::move(filter);
  return *this;
}

Router& Router::set_error_formatter(ErrorFormatter formatter) {
  formatter_ = std::move(formatter);
  return *this;
}

Response Router::error(int status, std::string_view message) const {
  return formatter_ ? formatter_(status, message) : Response::text(status, message);
}

bool Router::match(const Route& route, const std::vector<std::string>& segments, Request* request) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (is_capture(want)) {
      if (segments[i].empty()) return false;
    } else if (want != segments[i]) {
      return false;
    }
  }
  if (request) {
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (is_capture(route.segments[i]))
        request->params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
  }
  return true;
}

void Router::dispatch(Request request, Reply reply) const {
  // A reply that can only be sent once, whatever a handler does with its copy.
  auto sent = std::make_shared<bool>(false);
  Reply once = [sent, reply = std::move(reply)](Response response) {
    if (*sent) return;
    *sent = true;
    reply(std::move(response));
  };
  try {
    if (filter_) {
      if (auto refused = filter_(request)) return once(std::move(*refused));
    }
    const std::string_view raw_path =
        std::string_view(request.target).substr(0, request.target.find('?'));
    const auto segments = split_path(raw_path, true);
    std::string allowed;
    for (const Route& route : routes_) {
      if (!match(route, segments, nullptr)) continue;
      if (route.method != request.method) {
        if (allowed.find(route.method) == std::string::npos)
          allowed += (allowed.empty() ? "" : ", ") + route.method;
        continue;
      }
      match(route, segments, &request);
      route.handler(request, once);
      return;
    }
    if (!allowed.empty()) {
      Response r = error(405, "method not allowed");
      r.headers.set("Allow", allowed);
      return once(std::move(r));
    }
    once(error(404, "404 page not found"));
  } catch (const HttpError& e) {
    once(error(e.status, e.what()));
  } catch (const std::exception& e) {
    once(error(500, std::string("internal error: ") + e.what()));
  }
}

}  // namespace faultline::http
