#include "adapters/proxy/api.h"

#include "faultline/version.h"

namespace faultline::proxy {

namespace {

using http::Request;
using http::Response;

// Toxiproxy's error body: Go's http.Error writes the JSON, a newline, as text/plain.
Response api_error(int status, const std::string& message) {
  nlohmann::ordered_json j;
  j["error"] = message;
  j["status"] = status;
  return Response::text(status, j.dump());
}

// Go's decoder reads the first JSON value of the body; an empty body is "EOF".
nlohmann::json body_json(const Request& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ApiError(400, "bad request body: EOF");
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw ApiError(400, std::string("bad request body: ") + e.what());
  }
}

// Every handler answers ApiError the Toxiproxy way.
template <typename F>
http::Router::Handler guarded(F f) {
  return [f = std::move(f)](const Request& request) -> Response {
    try {
      return f(request);
    } catch (const ApiError& e) {
      return api_error(e.status, e.what());
    }
  };
}

nlohmann::ordered_json proxies_json(const std::vector<std::shared_ptr<Proxy>>& proxies) {
  if (proxies.empty()) return nullptr;  // Go marshals a nil slice as null
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& p : proxies) list.push_back(p->to_json());
  return list;
}

}  // namespace

std::string api_version() {
  return std::string("2.12.0+faultline.") + kToolVersion;
}

http::Router make_api_router(ProxySet& set) {
  http::Router r;
  // Toxiproxy refuses browsers (a page could otherwise drive the API of a developer's
  // local proxy: DNS rebinding, CSRF).
  r.set_filter([](const Request& request) -> std::optional<Response> {
    if (request.headers.value_or("User-Agent", "").rfind("Mozilla/", 0) == 0)
      return Response::text(403, "User agent not allowed");
    return std::nullopt;
  });
  r.set_error_formatter([](int status, std::string_view message) {
    if (status == 404) return Response::text(404, "404 page not found");
    if (status == 405) return Response::empty(405);
    return api_error(status, std::string(message));
  });

  r.add("POST", "/reset", guarded([&set](const Request&) {
          set.reset();
          return Response::empty(204);
        }));
  r.add("GET", "/proxies", guarded([&set](const Request&) {
          nlohmann::ordered_json all = nlohmann::ordered_json::object();
          for (const auto& [name, proxy] : set.all()) all[name] = proxy->to_json();
          return Response::json(200, all);
        }));
  r.add("POST", "/proxies", guarded([&set](const Request& request) {
          return Response::json(201, set.create(body_json(request))->to_json());
        }));
  r.add("POST", "/populate", guarded([&set](const Request& request) {
          nlohmann::ordered_json out;
          int status = 201;
          try {
            out["proxies"] = proxies_json(set.populate(body_json(request)));
          } catch (const PopulateError& e) {
            status = e.status;
            out["error"] = e.what();
            out["status"] = e.status;
            out["proxies"] = proxies_json(e.proxies);
          }
          return Response::json(status, out);
        }));
  r.add("GET", "/proxies/{proxy}", guarded([&set](const Request& request) {
          return Response::json(200, set.get(request.param("proxy"))->to_json());
        }));
  auto update_proxy = guarded([&set](const Request& request) {
    return Response::json(200, set.update(request.param("proxy"), body_json(request))->to_json());
  });
  r.add("POST", "/proxies/{proxy}", update_proxy);
  r.add("PATCH", "/proxies/{proxy}", update_proxy);
  r.add("DELETE", "/proxies/{proxy}", guarded([&set](const Request& request) {
          set.remove(request.param("proxy"));
          return Response::empty(204);
        }));
  r.add("GET", "/proxies/{proxy}/toxics", guarded([&set](const Request& request) {
          nlohmann::ordered_json list = nlohmann::ordered_json::array();
          for (const auto& toxic : set.get(request.param("proxy"))->toxics())
            list.push_back(toxic->to_json());
          return Response::json(200, list);
        }));
  // Toxiproxy answers a created toxic with 200, not 201.
  r.add("POST", "/proxies/{proxy}/toxics", guarded([&set](const Request& request) {
          auto proxy = set.get(request.param("proxy"));
          return Response::json(200, set.add_toxic(*proxy, body_json(request))->to_json());
        }));
  r.add("GET", "/proxies/{proxy}/toxics/{toxic}", guarded([&set](const Request& request) {
          const auto toxic = set.get(request.param("proxy"))->find_toxic(request.param("toxic"));
          if (!toxic) throw ApiError(404, "toxic not found");
          return Response::json(200, toxic->to_json());
        }));
  auto update_toxic = guarded([&set](const Request& request) {
    auto proxy = set.get(request.param("proxy"));
    return Response::json(
        200, set.update_toxic(*proxy, request.param("toxic"), body_json(request))->to_json());
  });
  r.add("POST", "/proxies/{proxy}/toxics/{toxic}", update_toxic);
  r.add("PATCH", "/proxies/{proxy}/toxics/{toxic}", update_toxic);
  r.add("DELETE", "/proxies/{proxy}/toxics/{toxic}", guarded([&set](const Request& request) {
          auto proxy = set.get(request.param("proxy"));
          set.remove_toxic(*proxy, request.param("toxic"));
          return Response::empty(204);
        }));
  r.add("GET", "/version", [](const Request&) {
    Response res;
    res.headers.set("Content-Type", "application/json;charset=utf-8");
    res.body = "{\"version\": \"" + api_version() + "\"}\n";
    return res;
  });
  r.add("GET", "/metrics", [&set](const Request&) {
    Response res;
    res.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    res.body = prometheus_metrics(set);
    return res;
  });
  return r;
}

}  // namespace faultline::proxy
