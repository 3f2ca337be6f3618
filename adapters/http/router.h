// Routing by method and path pattern, for the adapters' HTTP servers. A pattern is a path
// whose segments are literals or `{name}` captures ("/proxies/{proxy}/toxics/{toxic}");
// a capture matches one whole, percent-decoded segment. A path that matches no pattern is
// 404; a path that matches only under other methods is 405 with an Allow header (what Go's
// gorilla/mux answers, so a Toxiproxy client sees the same codes).
//
// Handlers run on the server's io_context thread. A plain Handler returns its Response;
// an AsyncHandler gets a Reply to call exactly once, later if it likes (a vendor emulator
// delaying its answer). A handler that throws HttpError answers with that status; any
// other exception becomes a 500 naming it — a handler bug never takes the server down.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"

namespace faultline::http {

class Router {
 public:
  using Handler = std::function<Response(const Request&)>;
  using Reply = std::function<void(Response)>;
  using AsyncHandler = std::function<void(const Request&, Reply)>;
  // Runs before routing; a response it returns is sent instead (e.g. refuse browsers).
  using Filter = std::function<std::optional<Response>(const Request&)>;
  // Renders the router's own errors (404, 405, HttpError, 500) and the server's (400,
  // 408, 413, 431). Default: Response::text(status, message).
  using ErrorFormatter = std::function<Response(int status, std::string_view message)>;

  Router& add(std::string_view method, std::string_view pattern, Handler handler);
  Router& add_async(std::string_view method, std::string_view pattern, AsyncHandler handler);
  Router& set_filter(Filter filter);
  Router& set_error_formatter(ErrorFormatter formatter);

  // Routes `request` (filling request.params) and calls `reply` exactly once.
  void dispatch(Request request, Reply reply) const;
  Response error(int status, std::string_view message) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" for a capture
    AsyncHandler handler;
  };
  static bool match(const Route& route, const std::vector<std::string>& segments, Request* request);

  std::vector<Route> routes_;
  Filter filter_;
  ErrorFormatter formatter_;
};

}  // namespace faultline::http
