// `faultline proxy`: Toxiproxy's server, flag for flag (--host, --port, --config, --seed),
// with faultline's determinism and caps.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>

#include "adapters/common/address.h"
#include "adapters/proxy/api.h"
#include "adapters/proxy/cli.h"
#include "adapters/proxy/config.h"
#include "adapters/proxy/server.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"

namespace faultline::proxy {

namespace po = boost::program_options;

namespace {
constexpr const char* kUsage =
    "usage: faultline proxy [--host H] [--port P] [--config FILE] [--seed N]\n"
    "\n"
    "A fault-injecting TCP proxy with Toxiproxy 2.x's control API (its clients work\n"
    "unchanged). Every toxicity decision and jitter draw comes from --seed.\n"
    "See docs/adapters.md.\n";
}  // namespace

int proxy_command(const std::vector<std::string>& args) {
  po::options_description named("options");
  named.add_options()("help,h", "this help")(
      "host", po::value<std::string>()->default_value("127.0.0.1"),
      "address of the control API (loopback unless you mean otherwise)")(
      "port", po::value<int>()->default_value(8474), "port of the control API")(
      "config", po::value<std::string>(), "JSON or YAML file of proxies and their toxics")(
      "seed", po::value<std::uint64_t>(),
      "seed of every random toxic decision (default: from the clock, printed)")(
      "max-connections", po::value<std::size_t>()->default_value(10000),
      "connections open at once, all proxies; more wait in the listen backlog")(
      "link-buffer", po::value<std::size_t>()->default_value(256 * 1024),
      "bytes held per direction of a connection before reading pauses");
  const auto vm = cli::parse_options(args, named, "unexpected");
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << named;
    return cli::kExitOk;
  }
  if (vm.count("unexpected"))
    throw cli::UsageError("unexpected argument '" +
                          vm["unexpected"].as<std::vector<std::string>>().front() + "'");
  const int port = vm["port"].as<int>();
  if (port < 0 || port > 65535) throw cli::UsageError("--port must be in 0..65535");

  raise_descriptor_limit();
  ServerOptions options;
  options.api_host = vm["host"].as<std::string>();
  options.api_port = static_cast<std::uint16_t>(port);
  options.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : seed_from_clock();
  options.limits.max_connections = vm["max-connections"].as<std::size_t>();
  options.limits.link_buffer_bytes = vm["link-buffer"].as<std::size_t>();

  boost::asio::io_context io;
  ProxyServer server(io, options);
  server.handle_signals();  // before any output: a script may signal as soon as it reads
  if (vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    const std::size_t n = load_config(path, server.proxies());
    std::cout << "faultline proxy: " << n << " proxies from " << path << "\n";
    for (const auto& [name, proxy] : server.proxies().all())
      std::cout << "  " << name << ": " << proxy->listen() << " -> " << proxy->upstream() << " ("
                << proxy->toxics().size() << " toxics)\n";
  }
  try {
    server.start();
  } catch (const http::ListenError& e) {
    std::cerr << "faultline proxy: " << e.what() << "\n";
    return cli::kExitBadInput;
  }
  std::cout << "faultline proxy: control API on http://"
            << adapters::to_string(server.api_endpoint()) << " (Toxiproxy " << api_version()
            << "), seed " << options.seed << " (--seed " << options.seed
            << " replays every toxic draw)" << std::endl;
  io.run();
  server.stop();
  std::cout << "faultline proxy: stopped" << std::endl;
  return server.exit_code();
}

}  // namespace faultline::proxy
