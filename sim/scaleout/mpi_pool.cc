#include "sim/scaleout/mpi_pool.h"

#include <mpi.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/model/world.h"
#include "sim/scaleout/unit_codec.h"

namespace faultline {

namespace {

enum Tag : int { kAssign = 1, kStop = 2, kResult = 3, kFailure = 4, kBye = 5 };

// How long an idle main thread waits before polling MPI again: short next to any unit,
// long enough that polling costs nothing measurable (docs/performance.md).
constexpr auto kPoll = std::chrono::milliseconds(1);

std::string unit_name(const WorkUnit& u) {
  return "unit (point " + std::to_string(u.point) + ", replication " +
         std::to_string(u.replication) + ", run seed " + std::to_string(u.run_seed) + ")";
}

// A rank's threads: they take units from a queue the main thread fills and leave their
// outcomes for the main thread, which alone talks MPI.
class LocalRunner {
 public:
  struct Done {
    std::int64_t index = 0;
    int code = 0;  // 0 ok; else the exit code the failure calls for (RankFailure)
    std::optional<UnitResult> result;
    std::string text;  // the encoded result (encode) or what failed
  };

  LocalRunner(const Experiment& e, int threads, bool encode) : e_(e), encode_(encode) {
    for (int i = 0; i < threads; ++i) pool_.emplace_back([this] { work(); });
  }
  ~LocalRunner() { close(); }

  void push(std::int64_t index, const WorkUnit& unit) {
    {
      const std::lock_guard lock(mutex_);
      queue_.emplace_back(index, unit);
    }
    work_cv_.notify_one();
  }
  // Whatever finished, waiting up to `wait` for the first.
  std::vector<Done> take(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    done_cv_.wait_for(lock, wait, [&] { return !done_.empty(); });
    return std::exchange(done_, {});
  }
  // Running units stop between runs; queued ones do not start.
  void cancel() { cancel_ = true; }
  bool cancelled() const { return cancel_; }
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : pool_)
      if (t.joinable()) t.join();
  }

 private:
  void work() {
    for (;;) {
      std::pair<std::int64_t, WorkUnit> item;
      {
        std::unique_lock lock(mutex_);
        work_cv_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;
        item = queue_.front();
        queue_.pop_front();
      }
      Done d = run(item.first, item.second);
      {
        const std::lock_guard lock(mutex_);
        done_.push_back(std::move(d));
      }
      done_cv_.notify_one();
    }
  }

  Done run(std::int64_t index, const WorkUnit& unit) {
    Done d;
    d.index = index;
    RunHooks hooks;
    hooks.cancel = &cancel_;
    try {
      std::vector<UnitResult> r = e_.run_units(std::span<const WorkUnit>(&unit, 1), hooks);
      if (encode_)
        d.text = encode_unit(r.front());
      else
        d.result = std::move(r.front());
    } catch (const Cancelled&) {
      d.code = 130;
      d.text = "interrupted (SIGINT or SIGTERM) during " + unit_name(unit);
    } catch (const RunLimitError& ex) {
      d.code = 2;
      d.text = unit_name(unit) + ": " + ex.what();
    } catch (const std::exception& ex) {
      d.code = 3;
      d.text = unit_name(unit) + ": internal error: " + ex.what();
    }
    return d;
  }

  const Experiment& e_;
  const bool encode_;
  std::atomic<bool> cancel_{false};
  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::pair<std::int64_t, WorkUnit>> queue_;
  std::vector<Done> done_;
  bool closed_ = false;
  std::vector<std::thread> pool_;
};

// Non-blocking sends whose buffers live until MPI is done with them.
class Outbox {
 public:
  void send(int to, int tag, std::string bytes) {
    Pending& p = pending_.emplace_back();
    p.bytes = std::move(bytes);
    MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD,
              &p.request);
  }
  void reap() {
    for (auto it = pending_.begin(); it != pending_.end();) {
      int done = 0;
      MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
      it = done ? pending_.erase(it) : std::next(it);
    }
  }
  void wait_all() {
    for (Pending& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
    pending_.clear();
  }

 private:
  struct Pending {
    std::string bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  std::list<Pending> pending_;  // stable addresses
};

template <typename T>
std::string bytes_of(const T& value) {
  std::string out(sizeof value, '\0');
  std::memcpy(out.data(), &value, sizeof value);
  return out;
}

template <typename T>
T value_of(const std::string& bytes, std::size_t at = 0) {
  T v{};
  if (bytes.size() < at + sizeof v) throw std::runtime_error("MPI: a message is too short");
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

// The next message, if one is waiting (from `source`), received whole.
std::optional<std::pair<MPI_Status, std::string>> poll(int source) {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string bytes(static_cast<std::size_t>(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return std::pair(status, std::move(bytes));
}

struct Assignment {
  std::int64_t index;
  std::int64_t point;
  std::int64_t replication;
  std::uint64_t run_seed;
};

}  // namespace

MpiPool::MpiPool() {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw std::runtime_error("MPI_Init_thread failed");
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw std::runtime_error("this MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  char name[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  MPI_Get_processor_name(name, &length);
  host_.assign(name, static_cast<std::size_t>(length));
}

MpiPool::~MpiPool() {
  try {
    if (rank_ == 0) finish(false);
  } catch (...) {
  }
  MPI_Finalize();
}

MpiPool::Verdict MpiPool::agree(int code) {
  std::vector<int> all(static_cast<std::size_t>(size_));
  MPI_Allgather(&code, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD);
  for (int r = 0; r < size_; ++r)
    if (all[static_cast<std::size_t>(r)] != 0) return {r, all[static_cast<std::size_t>(r)]};
  return {};
}

int MpiPool::first_different(std::uint64_t value) {
  std::vector<std::uint64_t> all(static_cast<std::size_t>(size_));
  MPI_Allgather(&value, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
  for (int r = 1; r < size_; ++r)
    if (all[static_cast<std::size_t>(r)] != all[0]) return r;
  return -1;
}

void MpiPool::share_threads(int jobs) {
  threads_.assign(static_cast<std::size_t>(size_), 0);
  MPI_Allgather(&jobs, 1, MPI_INT, threads_.data(), 1, MPI_INT, MPI_COMM_WORLD);
}

std::vector<UnitResult> MpiPool::execute(const Experiment& e, std::span<const WorkUnit> units,
                                         std::size_t planned_runs, const RunHooks& hooks) {
  if (threads_.size() != static_cast<std::size_t>(size_))
    throw std::logic_error("MpiPool::execute before share_threads");
  const std::size_t n = units.size(), per_unit = e.runs_per_unit();
  const std::size_t planned = std::max(planned_runs, n * per_unit);
  const std::size_t before = planned - n * per_unit;
  const UnitShape shape{e.points().size(), per_unit};
  std::vector<UnitResult> results;
  results.reserve(n);
  std::vector<int> busy(static_cast<std::size_t>(size_), 0);
  std::size_t next = 0;
  std::optional<RankFailure> failure;
  bool cancelled = false;
  Outbox outbox;
  LocalRunner local(e, threads_[0], false);
  const auto finished = [&] {
    if (hooks.on_progress) hooks.on_progress(before + results.size() * per_unit, planned);
  };
  while (results.size() < n && !failure && !cancelled) {
    // One unit per free thread, wherever it is: the dynamic balance.
    for (int r = 0; r < size_; ++r)
      while (next < n &&
             busy[static_cast<std::size_t>(r)] < threads_[static_cast<std::size_t>(r)]) {
        const WorkUnit& u = units[next];
        if (r == 0)
          local.push(static_cast<std::int64_t>(next), u);
        else
          outbox.send(r, kAssign,
                      bytes_of(Assignment{static_cast<std::int64_t>(next), u.point, u.replication,
                                          u.run_seed}));
        ++busy[static_cast<std::size_t>(r)];
        ++next;
      }
    bool heard = false;
    while (auto message = poll(MPI_ANY_SOURCE)) {
      heard = true;
      const auto& [status, bytes] = *message;
      const int from = status.MPI_SOURCE;
      if (status.MPI_TAG == kResult) {
        const auto index = value_of<std::int64_t>(bytes);
        UnitResult u = decode_unit(std::string_view(bytes).substr(sizeof index), shape);
        if (index < 0 || static_cast<std::size_t>(index) >= n ||
            !(u.unit == units[static_cast<std::size_t>(index)]))
          throw std::runtime_error("MPI: rank " + std::to_string(from) +
                                   " returned a unit it was not given");
        results.push_back(std::move(u));
        --busy[static_cast<std::size_t>(from)];
        finished();
      } else if (status.MPI_TAG == kFailure) {
        failure.emplace(value_of<int>(bytes), bytes.substr(sizeof(int)));
        break;
      } else {
        throw std::runtime_error("MPI: unexpected message " + std::to_string(status.MPI_TAG) +
                                 " from rank " + std::to_string(from));
      }
    }
    if (failure) break;
    for (LocalRunner::Done& d : local.take(heard ? std::chrono::milliseconds(0) : kPoll)) {
      --busy[0];
      if (d.code != 0) {
        failure.emplace(d.code, "rank 0 on " + host_ + ": " + d.text);
        break;
      }
      results.push_back(std::move(*d.result));
      finished();
    }
    outbox.reap();
    cancelled = hooks.cancel != nullptr && hooks.cancel->load();
  }
  if (failure || cancelled) local.cancel();
  local.close();
  outbox.wait_all();  // assignments are small: they have been delivered
  if (failure) throw *failure;
  if (cancelled) throw Cancelled();
  return results;
}

void MpiPool::finish(bool ok) {
  // Before share_threads() the other ranks are not serving: nobody would say goodbye.
  if (finished_ || rank_ != 0 || threads_.empty()) return;
  finished_ = true;
  const int flag = ok ? 1 : 0;
  for (int r = 1; r < size_; ++r) MPI_Send(&flag, 1, MPI_INT, r, kStop, MPI_COMM_WORLD);
  // Whatever they still send (results of cancelled work, failures) is dropped; each says
  // goodbye last, after its sends, so nothing is left in flight at MPI_Finalize.
  for (int byes = 0; byes < size_ - 1;) {
    if (auto message = poll(MPI_ANY_SOURCE))
      byes += message->first.MPI_TAG == kBye;
    else
      std::this_thread::sleep_for(kPoll);
  }
}

void MpiPool::serve(const Experiment& e, const std::atomic<bool>* interrupted) {
  Outbox outbox;
  LocalRunner local(e, e.options().jobs, true);
  const std::string me = "rank " + std::to_string(rank_) + " on " + host_;
  bool stop = false, told_interrupt = false;
  while (!stop) {
    bool heard = false;
    try {
      while (auto message = poll(0)) {
        heard = true;
        const auto& [status, bytes] = *message;
        if (status.MPI_TAG == kAssign) {
          const auto a = value_of<Assignment>(bytes);
          const WorkUnit u{static_cast<int>(a.point), static_cast<int>(a.replication), a.run_seed};
          // The unit as this rank enumerates it: the same study gives the same seed.
          if (a.point < 0 || static_cast<std::size_t>(a.point) >= e.points().size() ||
              !(e.units(u.replication, u.replication + 1)[static_cast<std::size_t>(u.point)] == u))
            throw std::runtime_error("rank 0 sent " + unit_name(u) +
                                     ", which is not a unit of this rank's experiment");
          local.push(a.index, u);
        } else if (status.MPI_TAG == kStop) {
          stop = true;
          if (value_of<int>(bytes) == 0) local.cancel();
        }
      }
      if (stop) break;
      for (LocalRunner::Done& d : local.take(heard ? std::chrono::milliseconds(0) : kPoll)) {
        if (d.code == 0)
          outbox.send(0, kResult, bytes_of(d.index) + d.text);
        else
          outbox.send(0, kFailure, bytes_of(d.code) + me + ": " + d.text);
      }
      outbox.reap();
      if (interrupted != nullptr && interrupted->load() && !told_interrupt) {
        told_interrupt = true;  // the cancelled units report it to rank 0
        local.cancel();
      }
    } catch (const std::exception& ex) {
      // Rank 0 stops the job; this rank waits for that like any other.
      outbox.send(0, kFailure, bytes_of(3) + me + ": internal error: " + ex.what());
    }
  }
  local.cancel();
  local.close();
  outbox.send(0, kBye, "");
  outbox.wait_all();
}

}  // namespace faultline
