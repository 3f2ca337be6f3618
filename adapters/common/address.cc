#include "adapters/common/address.h"

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <stdexcept>

namespace faultline::adapters {

namespace asio = boost::asio;
using asio::ip::tcp;

std::optional<HostPort> parse_host_port(std::string_view text, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<HostPort> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail("missing ']' after the IPv6 address");
    out.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':')
      return fail("missing ':port' after the IPv6 address");
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("missing ':port' (expected host:port)");
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos)
      return fail("IPv6 addresses must be written in brackets, e.g. [::1]:8474");
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535)
    return fail("the port '" + std::string(port_text) + "' is not a number in 0..65535");
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

std::string join_host_port(std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

std::string to_string(const tcp::endpoint& endpoint) {
  return join_host_port(endpoint.address().to_string(), endpoint.port());
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  return address.is_loopback();
}

tcp::endpoint resolve_endpoint(const HostPort& address) {
  boost::system::error_code ec;
  if (address.host.empty()) return tcp::endpoint(tcp::v4(), address.port);
  const auto literal = asio::ip::make_address(address.host, ec);
  if (!ec) return tcp::endpoint(literal, address.port);
  asio::io_context io;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(address.host, std::to_string(address.port),
                                        tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve host '" + address.host +
                             "': " + (ec ? ec.message() : std::string("no address")));
  for (const auto& entry : results)
    if (entry.endpoint().address().is_v4()) return entry.endpoint();
  return results.begin()->endpoint();
}

}  // namespace faultline::adapters
