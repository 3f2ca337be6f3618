// Live tests of the SMS-vendor emulator: start the real `faultline vendor` binary on a
// free loopback port (reading its banner), send scheduled Twilio API requests from an
// Asio client at planned wall-clock times, run a status-callback sink, stop the emulator
// with SIGTERM and read its ledger. Everything is bounded in time and stops by itself.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "adapters/http/client.h"
#include "adapters/http/form.h"
#include "adapters/http/server.h"
#include "sim/util/sha1.h"

extern char** environ;

namespace faultline::vendor::live {

struct Emulator {
  pid_t pid = -1;
  int port = 0;
  std::string out;
  std::map<std::string, std::string> accounts;  // vendor name → AccountSid
  std::string token;

  // Starts `faultline vendor SCENARIO --listen 127.0.0.1:0 ARGS...` from the source tree.
  void start(const std::string& scenario, const std::vector<std::string>& args) {
    int pipe_fd[2];
    ASSERT_EQ(::pipe(pipe_fd), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fd[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_fd[0]);
    std::vector<std::string> argv_s = {FAULTLINE_BINARY, "vendor", scenario, "--listen",
                                       "127.0.0.1:0"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::filesystem::current_path(FAULTLINE_SOURCE_DIR);
    ASSERT_EQ(posix_spawn(&pid, FAULTLINE_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fd[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
    std::smatch m;
    while (!std::regex_search(out, m, listening)) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no banner: " << out;
      pollfd p{pipe_fd[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(pipe_fd[0], buf, sizeof buf);
      ASSERT_GT(n, 0) << "the emulator exited: " << out;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipe_fd[0]);  // the rest of stdout is not read (the emulator writes little more)
    port = std::stoi(m[1]);
    const std::regex account("(\\S+) AccountSid (AC[0-9a-f]{32})");
    for (auto it = std::sregex_iterator(out.begin(), out.end(), account);
         it != std::sregex_iterator(); ++it)
      accounts[(*it)[1]] = (*it)[2];
    const std::regex tok("auth token (\\S+)");
    if (std::regex_search(out, m, tok)) token = m[1];
  }

  // SIGTERM, then wait (bounded); returns the exit status.
  int stop() {
    if (pid < 0) return -1;
    ::kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300; ++i) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ::usleep(50'000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    pid = -1;
    return -1;
  }
  ~Emulator() { stop(); }
};

inline std::string basic_auth(const std::string& user, const std::string& token) {
  return "Basic " + base64_encode(user + ":" + token);
}

inline std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

// One message to send at `at` after the start of the sending loop.
struct PlannedSend {
  std::chrono::microseconds at;
  std::string vendor;  // AccountSid
  std::string to;
};

// What the callback sink saw.
struct SinkStats {
  std::uint64_t callbacks = 0;    // status callbacks received
  std::uint64_t connections = 0;  // TCP connections the emulator opened to the sink
};

// Sends the plan through POST .../Messages.json at the planned wall times on one
// io_context thread, with a callback sink (http::Server) on the same loop; returns the
// HTTP status of each send. The loop ends when every send is answered and `linger` has
// passed after the last; `sink` (if given) then holds what the sink saw.
inline std::vector<int> send_plan(
    int port, const std::string& token, const std::vector<PlannedSend>& plan,
    std::chrono::milliseconds linger,
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now() +
                                               std::chrono::milliseconds(50),
    SinkStats* sink_stats = nullptr) {
  boost::asio::io_context io;
  http::Router sink;
  std::uint64_t callbacks = 0;
  sink.add("POST", "/status", [&callbacks](const http::Request&) {
    ++callbacks;
    return http::Response::empty(200);
  });
  http::Server server(io, sink);
  server.listen();
  const std::string callback =
      "http://127.0.0.1:" + std::to_string(server.local_endpoint().port()) + "/status";
  std::vector<int> status(plan.size(), 0);
  std::size_t answered = 0;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> timers;
  boost::asio::steady_timer end(io);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    timers.push_back(std::make_unique<boost::asio::steady_timer>(io, t0 + plan[i].at));
    timers.back()->async_wait([&, i](const boost::system::error_code&) {
      http::Headers h;
      h.set("Authorization", basic_auth(plan[i].vendor, token));
      h.set("Content-Type", "application/x-www-form-urlencoded");
      const std::string body = "To=" + std::string("%2B") + plan[i].to.substr(1) +
                               "&From=%2B15005550006&Body=reminder&StatusCallback=" +
                               http::form_encode_component(callback);
      http::ClientOptions o;
      o.timeout = std::chrono::milliseconds(5000);
      http::async_request(io, "POST",
                          "http://127.0.0.1:" + std::to_string(port) + "/2010-04-01/Accounts/" +
                              plan[i].vendor + "/Messages.json",
                          std::move(h), body, o, [&, i](http::ClientResponse r) {
                            status[i] = r.status;
                            if (++answered == plan.size()) {
                              end.expires_after(linger);
                              end.async_wait([&](const boost::system::error_code&) {
                                if (sink_stats)
                                  *sink_stats = {callbacks, server.accepted_connections()};
                                server.close();
                                io.stop();
                              });
                            }
                          });
    });
  }
  io.run();
  return status;
}

// The emulator's simulated time now (GET /faultline/clock), in seconds.
inline double sim_clock_s(int port) {
  const http::ClientResponse r =
      http::request("GET", "http://127.0.0.1:" + std::to_string(port) + "/faultline/clock");
  return nlohmann::json::parse(r.body).at("sim_time_s").get<double>();
}

}  // namespace faultline::vendor::live
