// GET /metrics: the proxies' counters in Prometheus' text format (0.0.4). Toxiproxy's two
// byte counters keep their names and labels (toxiproxy_proxy_received_bytes_total and
// _sent_bytes_total by direction, proxy, listener, upstream) so existing dashboards work;
// faultline adds connections and toxic activations.
#include <sstream>

#include "adapters/proxy/api.h"
#include "adapters/proxy/connection.h"

namespace faultline::proxy {

namespace {
std::string escape(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string proxy_labels(const Proxy& p) {
  return "proxy=\"" + escape(p.name()) + "\",listener=\"" + escape(p.listen()) + "\",upstream=\"" +
         escape(p.upstream()) + "\"";
}
}  // namespace

std::string prometheus_metrics(const ProxySet& proxies) {
  std::ostringstream out;
  auto header = [&](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  };
  header("toxiproxy_proxy_received_bytes_total", "counter",
         "Bytes the proxy read, by the direction of the link.");
  for (const auto& [name, p] : proxies.all())
    for (const Stream s : {Stream::kUpstream, Stream::kDownstream})
      out << "toxiproxy_proxy_received_bytes_total{direction=\"" << to_string(s) << "\","
          << proxy_labels(*p) << "} " << p->stats().received_bytes[static_cast<int>(s)] << "\n";
  header("toxiproxy_proxy_sent_bytes_total", "counter",
         "Bytes the proxy wrote, by the direction of the link.");
  for (const auto& [name, p] : proxies.all())
    for (const Stream s : {Stream::kUpstream, Stream::kDownstream})
      out << "toxiproxy_proxy_sent_bytes_total{direction=\"" << to_string(s) << "\","
          << proxy_labels(*p) << "} " << p->stats().sent_bytes[static_cast<int>(s)] << "\n";
  header("faultline_proxy_connections_total", "counter", "Client connections accepted.");
  for (const auto& [name, p] : proxies.all())
    out << "faultline_proxy_connections_total{" << proxy_labels(*p) << "} "
        << p->stats().connections_total << "\n";
  header("faultline_proxy_connections_open", "gauge", "Client connections open now.");
  for (const auto& [name, p] : proxies.all())
    out << "faultline_proxy_connections_open{" << proxy_labels(*p) << "} " << p->open_connections()
        << "\n";
  header("faultline_proxy_upstream_failures_total", "counter",
         "Clients closed because the upstream could not be reached.");
  for (const auto& [name, p] : proxies.all())
    out << "faultline_proxy_upstream_failures_total{" << proxy_labels(*p) << "} "
        << p->stats().upstream_failures_total << "\n";
  header("faultline_proxy_toxic_activations_total", "counter",
         "Times a toxic acted: a chunk delayed, dropped or sliced, a request answered, a "
         "connection closed or reset.");
  for (const auto& [name, p] : proxies.all())
    for (const auto& [toxic, entry] : p->stats().activations)
      out << "faultline_proxy_toxic_activations_total{" << proxy_labels(*p) << ",toxic=\""
          << escape(toxic) << "\",type=\"" << entry.first << "\"} " << entry.second << "\n";
  return out.str();
}

}  // namespace faultline::proxy
