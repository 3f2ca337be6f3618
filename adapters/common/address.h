// Host:port strings as the adapters' users write them ("127.0.0.1:8474", "localhost:0",
// "[::1]:9000", ":8080") and the two questions every listener asks about them: is this a
// valid address, and is it loopback? Both adapters bind 127.0.0.1 unless told otherwise
// and warn when they are told otherwise (a fault proxy on a public interface lets anyone
// who can reach it switch faults on), so the check lives here, once.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::adapters {

struct HostPort {
  std::string host;  // without brackets; empty for ":8080" (every interface)
  std::uint16_t port = 0;
};

// Splits "host:port" (IPv6 literals in brackets). Returns nothing, and sets `why`, when the
// text is not host:port with a port in 0..65535.
std::optional<HostPort> parse_host_port(std::string_view text, std::string* why = nullptr);

// "host:port", bracketing IPv6 literals: the inverse of parse_host_port.
std::string join_host_port(std::string_view host, std::uint16_t port);
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

// True for 127.0.0.0/8, ::1, "localhost" and IPv4-mapped loopback. An empty host (every
// interface) is not loopback.
bool is_loopback_host(std::string_view host);

// Resolves host (a literal or a name, numeric port) to the first endpoint, preferring IPv4.
// Throws std::runtime_error naming the host when it cannot be resolved.
boost::asio::ip::tcp::endpoint resolve_endpoint(const HostPort& address);

}  // namespace faultline::adapters
