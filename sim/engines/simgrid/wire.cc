// Encoding of a child's result; see wire.h.
#include "sim/engines/simgrid/wire.h"

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace faultline::simgrid_engine {

namespace {

// Counters is scalars and fixed arrays around one TimeSeries (which owns a vector): the
// bytes before and after it are copied as they are, the series bin by bin. A new
// scalar or array counter travels with no change here; a second member that owns memory
// would need one (wire_test round-trips a real run to catch it).
static_assert(std::is_standard_layout_v<Counters>,
              "Counters must stay standard-layout for offsetof");
static_assert(std::is_trivially_copyable_v<LatencyHistogram>);
static_assert(std::is_trivially_copyable_v<RunResult>);
constexpr std::size_t kSeriesAt = offsetof(Counters, series);
constexpr std::size_t kAfterSeries = kSeriesAt + sizeof(TimeSeries);
constexpr std::uint32_t kMagic = 0x46'4c'53'47;  // "FLSG"

template <typename T>
void put(std::string& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_string(std::string& out, const std::string& s) {
  put(out, static_cast<std::uint64_t>(s.size()));
  out += s;
}

class Reader {
 public:
  explicit Reader(const std::string& b) : b_(b) {}
  void bytes(void* to, std::size_t n) {
    if (b_.size() - at_ < n) throw std::runtime_error("SimGrid child: truncated result");
    std::memcpy(to, b_.data() + at_, n);
    at_ += n;
  }
  template <typename T>
  T get() {
    T v;
    bytes(&v, sizeof v);
    return v;
  }
  std::string string() {
    const auto n = get<std::uint64_t>();
    if (b_.size() - at_ < n) throw std::runtime_error("SimGrid child: truncated result");
    std::string s = b_.substr(at_, n);
    at_ += n;
    return s;
  }

 private:
  const std::string& b_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_output(const SimgridRunOutput& out) {
  std::string b;
  put(b, kMagic);
  put(b, WireStatus::kOk);
  const auto* c = reinterpret_cast<const char*>(&out.run.counters);
  b.append(c, kSeriesAt);
  b.append(c + kAfterSeries, sizeof(Counters) - kAfterSeries);
  const TimeSeries& ts = out.run.counters.series;
  put(b, static_cast<std::uint64_t>(ts.bins()));
  put(b, ts.bin_width());
  for (int s = 0; s < kSeriesCount; ++s)
    for (std::size_t i = 0; i < ts.bins(); ++i) put(b, ts.at(static_cast<Series>(s), i));
  put(b, out.run.kernel);
  put(b, out.network_lost);
  put(b, out.comms);
  put(b, out.lost_at_start);
  put(b, out.late_starts);
  return b;
}

std::string encode_error(WireStatus status, const std::string& what, const std::string& file,
                         SourceLoc loc) {
  std::string b;
  put(b, kMagic);
  put(b, status);
  put_string(b, what);
  put_string(b, file);
  put(b, loc);
  return b;
}

SimgridRunOutput decode(const std::string& bytes, const Scenario& scenario) {
  Reader r(bytes);
  if (r.get<std::uint32_t>() != kMagic)
    throw std::runtime_error("SimGrid child: unreadable result");
  const auto status = r.get<WireStatus>();
  if (status != WireStatus::kOk) {
    const std::string what = r.string(), file = r.string();
    const auto loc = r.get<SourceLoc>();
    if (status == WireStatus::kScenarioError) throw ScenarioError(file, loc, what);
    if (status == WireStatus::kRunLimit) throw RunLimitError(what);
    throw std::runtime_error(what);
  }
  SimgridRunOutput out;
  auto* c = reinterpret_cast<char*>(&out.run.counters);
  r.bytes(c, kSeriesAt);
  r.bytes(c + kAfterSeries, sizeof(Counters) - kAfterSeries);
  const auto bins = r.get<std::uint64_t>();
  const auto width = r.get<SimTime>();
  TimeSeries ts(scenario.horizon);
  if (ts.bins() != bins || ts.bin_width() != width)
    throw std::runtime_error("SimGrid child: series layout differs");
  for (int s = 0; s < kSeriesCount; ++s) {
    for (std::size_t i = 0; i < bins; ++i) {
      const auto n = r.get<std::uint32_t>();
      for (std::uint32_t k = 0; k < n; ++k)
        ts.add(static_cast<Series>(s), static_cast<SimTime>(i) * width);
    }
  }
  out.run.counters.series = std::move(ts);
  out.run.kernel = r.get<RunResult>();
  out.network_lost = r.get<std::uint32_t>();
  out.comms = r.get<std::uint64_t>();
  out.lost_at_start = r.get<std::uint64_t>();
  out.late_starts = r.get<std::uint64_t>();
  return out;
}

}  // namespace faultline::simgrid_engine
