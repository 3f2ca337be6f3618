// `faultline inject`: the plan is the simulator's Schedule (unit tests, no network), and
// end to end the binary plays tests/data/inject.yaml at --time-scale 36000 (one simulated
// hour = 0.1 s) in front of an HTTP upstream started here, while a client measures what
// the faults do to its requests.
#include "adapters/inject/inject.h"

#include <gtest/gtest.h>

#include <ctime>
#include <iomanip>

#include "adapters/http/client.h"
#include "adapters/http/server.h"
#include "sim/scenario/error.h"
#include "tests/adapters/child_process.h"
#include "tests/adapters/loopback.h"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;
using inject::InjectOptions;
using inject::Step;

const std::string kScenario = FAULTLINE_SOURCE_DIR "/tests/data/inject.yaml";

InjectOptions options() {
  InjectOptions o;
  o.scenario_path = kScenario;
  o.time_scale = 36000;
  o.maps = {{"alpha", "127.0.0.1:0", "127.0.0.1:1"}, {"beta", "127.0.0.1:0", "127.0.0.1:2"}};
  o.skip_unsupported = true;
  o.run_for = 10 * kHour;
  return o;
}

TEST(InjectPlan, StepsAreTheSchedulesWindows) {
  const auto plan = inject::make_plan(options());
  const std::vector<Step> expected = {
      {1 * kHour, 0, true}, {2 * kHour, 2, true}, {3 * kHour, 0, false}, {3 * kHour, 2, false},
      {5 * kHour, 1, true}, {5 * kHour, 2, true}, {6 * kHour, 2, false}, {9 * kHour, 1, false},
  };
  EXPECT_EQ(plan.steps, expected);
  // The windows are the simulator's for the same run seed (replication 0 of seed 11).
  const Schedule schedule = Schedule::of(plan.scenario, plan.run_seed);
  EXPECT_EQ(plan.schedule.transitions().size(), schedule.transitions().size());
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("carrier_outage #3: not injected"), std::string::npos);
  EXPECT_EQ(plan.live.at(0).toxics.at(0).type, "http_error");
  EXPECT_EQ(plan.live.at(1).toxics.at(0).attributes["latency"], 300);  // real size, not scaled
  EXPECT_EQ(plan.live.at(2).toxics.at(0).type, "silent_drop");
}

TEST(InjectPlan, StartingMidWindowSwitchesTheFaultOnAtOnce) {
  auto o = options();
  o.start = 90 * kMinute;
  const auto plan = inject::make_plan(o);
  ASSERT_FALSE(plan.steps.empty());
  EXPECT_EQ(plan.steps.front(), (Step{90 * kMinute, 0, true}));
  EXPECT_EQ(plan.steps[1], (Step{2 * kHour, 2, true}));
}

TEST(InjectPlan, UnmappedTargetsAreNotedAndUnsupportedFaultsRefused) {
  auto o = options();
  o.maps.pop_back();  // no beta
  auto plan = inject::make_plan(o);
  EXPECT_EQ(plan.live.count(2), 0u);
  bool noted = false;
  for (const auto& n : plan.notes) noted |= n.find("no --map beta=") != std::string::npos;
  EXPECT_TRUE(noted);
  o.skip_unsupported = false;
  try {
    inject::make_plan(o);
    FAIL() << "carrier_outage was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(
        std::string(e.what()).find("inject.yaml:25:5: fault carrier_outage has no live meaning"),
        std::string::npos)
        << e.what();
  }
  o.strategy = "nope";
  o.skip_unsupported = true;
  EXPECT_THROW(inject::make_plan(o), std::invalid_argument);
}

TEST(InjectPlan, GatewayOutagePerBorrowerIsNotPlayedAsPerAttempt) {
  // The proxy sees requests, not cards: a per-borrower gateway fault has no live form.
  const auto value = [](ParamKind kind, double number, std::string text) {
    ParamValue v;
    v.kind = kind;
    v.number = number;
    v.text = std::move(text);
    return v;
  };
  ScheduledFault f;
  f.type = "gateway_outage";
  f.params.set("rail", value(ParamKind::kText, 0, "card"));
  f.params.set("error_rate", value(ParamKind::kProbability, 0.2, "20%"));
  f.params.set("per", value(ParamKind::kChoice, 0, "attempt"));
  const Scenario s;
  EXPECT_EQ(inject::live_form(f, s, 1).mode, "declines");
  f.params.set("per", value(ParamKind::kChoice, 0, "borrower"));
  EXPECT_THROW(inject::live_form(f, s, 1), inject::NoLiveMeaning);
}

TEST(InjectPlan, VendorDegradationPerBorrowerIsNotPlayedAsPerMessage) {
  // The proxy does not read the numbers in the requests: a per-number fault has no live
  // form there (the SMS-vendor emulator plays it).
  ScheduledFault f;
  f.type = "vendor_degradation";
  const auto set = [&](const char* name, ParamKind kind, double number, const char* text) {
    ParamValue v;
    v.kind = kind;
    v.number = number;
    v.text = text;
    f.params.set(name, v);
  };
  set("extra_latency", ParamKind::kDuration, 0, "0s");
  set("capacity", ParamKind::kProbability, 1, "100%");
  set("error_rate", ParamKind::kProbability, 0.2, "20%");
  set("per", ParamKind::kChoice, 0, "attempt");
  const Scenario s;
  EXPECT_EQ(inject::live_form(f, s, 1).mode, "degradation");
  set("per", ParamKind::kChoice, 0, "borrower");
  EXPECT_THROW(inject::live_form(f, s, 1), inject::NoLiveMeaning);
}

TEST(InjectPlan, ParsesMaps) {
  std::string why;
  auto m = inject::parse_map("alpha=127.0.0.1:26001:127.0.0.1:9001", &why);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->listen, "127.0.0.1:26001");
  EXPECT_EQ(m->upstream, "127.0.0.1:9001");
  m = inject::parse_map("card=26002:pay.staging.internal:443", &why);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->listen, "127.0.0.1:26002");  // loopback unless told otherwise
  EXPECT_EQ(m->upstream, "pay.staging.internal:443");
  m = inject::parse_map("v6=[::1]:26003:[::1]:9003", &why);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->listen, "[::1]:26003");
  EXPECT_FALSE(inject::parse_map("alpha=127.0.0.1:9001", &why));
  EXPECT_NE(why.find("NAME=LISTEN:UPSTREAM"), std::string::npos);
  EXPECT_FALSE(inject::parse_map("alpha=1:h:99999", &why));
}

struct Sample {
  double sent_s, took_s;  // on the system clock, seconds since the epoch
  int status;
};

TEST(InjectEndToEnd, FaultsHitTheLiveTrafficInTheirWindows) {
  const fs::path dir = test_dir();
  IoThread io;
  std::unique_ptr<http::Server> upstream;
  io.run_sync([&] {
    http::Router r;
    r.add("POST", "/messages",
          [](const http::Request&) { return http::Response::text(201, "queued"); });
    upstream = std::make_unique<http::Server>(io.io(), std::move(r));
    upstream->listen();
    return 0;
  });
  const std::string up = "127.0.0.1:" + std::to_string(upstream->local_endpoint().port());
  const fs::path log = dir / "inject.jsonl";
  Child child({FAULTLINE_BINARY, "inject", kScenario, "--map", "alpha=0:" + up, "--time-scale",
               "36000", "--run-for", "10h", "--skip-unsupported", "--log", log.string()},
              dir);
  const std::string listen = child.wait_for(R"(proxy alpha: (127\.0\.0\.1:\d+))");
  ASSERT_FALSE(listen.empty());
  // Times on the system clock, which the log's wall_time is written in: no guessing
  // how long the client took to see the child start.
  using SysClock = std::chrono::system_clock;
  auto unix_s = [](SysClock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<Sample> samples;
  http::ClientOptions o;
  o.timeout = std::chrono::seconds(3);
  while (!child.finished() && std::chrono::steady_clock::now() < deadline) {
    const auto t = SysClock::now();
    const auto r = http::request("POST", "http://" + listen + "/messages", {}, "To=1", o);
    samples.push_back({unix_s(t), unix_s(SysClock::now()) - unix_s(t), r.status});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(child.wait(), 0) << child.err();
  // The log: start, two toxics on and off for alpha, stop.
  std::vector<nlohmann::json> lines;
  std::istringstream in(read_file(log));
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 6u) << read_file(log);
  EXPECT_EQ(lines.front()["event"], "start");
  EXPECT_EQ(lines.back()["event"], "stop");
  EXPECT_EQ(lines.back()["reason"], "done");
  EXPECT_EQ(lines[1]["toxic"], "vendor_outage_0_http_error_upstream");
  EXPECT_EQ(lines[1]["sim_time"], "0d 01:00:00");
  EXPECT_EQ(lines[2]["action"], "remove");
  EXPECT_EQ(lines[3]["type"], "latency");
  // "2026-11-30T09:01:38.296Z" → seconds since the epoch.
  auto wall = [](const nlohmann::json& line) {
    const std::string text = line["wall_time"];
    std::tm tm{};
    std::istringstream(text.substr(0, 19)) >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    return static_cast<double>(timegm(&tm)) + std::stod(text.substr(19, 4));
  };
  const double reject_on = wall(lines[1]), reject_off = wall(lines[2]);
  const double slow_on = wall(lines[3]), slow_off = wall(lines[4]);
  EXPECT_NEAR(reject_off - reject_on, 0.2, 0.1);  // 2 simulated hours (timers may be late)
  // Judge only requests clearly inside or outside a window (10 ms from its edges: the
  // log's times have millisecond resolution and are taken just before the change).
  constexpr double kEdge = 0.01;
  int rejected = 0, passed = 0, slowed = 0;
  for (const Sample& s : samples) {
    if (s.status == 503) ++rejected;
    if (s.status == 201) ++passed;
    if (s.took_s >= 0.3) ++slowed;
    const double sent = s.sent_s, answered = s.sent_s + s.took_s;
    if (sent > reject_on + kEdge && answered < reject_off - kEdge) {
      EXPECT_EQ(s.status, 503) << "sent " << sent - reject_on << " s after the reject began";
    }
    if (answered < reject_on - kEdge || (sent > reject_off + kEdge && answered < slow_on - kEdge)) {
      EXPECT_EQ(s.status, 201) << "sent " << sent - reject_on << " s after the reject began";
    }
    if (sent > slow_on + kEdge && sent + 0.3 < slow_off - kEdge) {
      EXPECT_GE(s.took_s, 0.3) << "sent " << sent - slow_on << " s after the slowdown began";
    }
  }
  EXPECT_GT(rejected, 3);
  EXPECT_GT(passed, 3);
  EXPECT_GE(slowed, 1);
  io.run_sync([&] {
    upstream.reset();
    return 0;
  });
  fs::remove_all(dir);
}

TEST(InjectEndToEnd, SigtermStopsWithACompleteLog) {
  const fs::path dir = test_dir();
  const fs::path log = dir / "inject.jsonl";
  Child child({FAULTLINE_BINARY, "inject", kScenario, "--map", "alpha=0:127.0.0.1:9",
               "--time-scale", "3600", "--skip-unsupported", "--log", log.string()},
              dir);
  child.wait_for(R"(proxy alpha: )");
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(), 143);
  std::istringstream in(read_file(log));
  std::string line, last;
  while (std::getline(in, line)) last = line;
  const auto stop = nlohmann::json::parse(last);
  EXPECT_EQ(stop["event"], "stop");
  EXPECT_EQ(stop["reason"], "SIGTERM");
  EXPECT_FALSE(fs::exists(dir / "inject.jsonl.tmp"));
  fs::remove_all(dir);
}

TEST(InjectEndToEnd, RefusesWhatItCannotPlay) {
  const fs::path dir = test_dir();
  Child child({FAULTLINE_BINARY, "inject", kScenario, "--map", "alpha=0:127.0.0.1:9",
               "--time-scale", "36000"},
              dir);
  EXPECT_EQ(child.wait(), 2);
  EXPECT_NE(child.err().find("inject.yaml:25:5: fault carrier_outage has no live meaning"),
            std::string::npos)
      << child.err();
  Child no_scale({FAULTLINE_BINARY, "inject", kScenario, "--map", "alpha=0:127.0.0.1:9"}, dir);
  EXPECT_EQ(no_scale.wait(), 2);
  EXPECT_NE(no_scale.err().find("--time-scale"), std::string::npos);
  Child bad_map({FAULTLINE_BINARY, "inject", kScenario, "--map", "alpha", "--time-scale", "1"},
                dir);
  EXPECT_EQ(bad_map.wait(), 2);
  EXPECT_NE(bad_map.err().find("NAME=LISTEN:UPSTREAM"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
