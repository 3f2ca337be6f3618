#include "adapters/proxy/link.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/write.hpp>

#include "adapters/proxy/connection.h"
#include "adapters/proxy/proxy.h"

namespace faultline::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// Reads at most this much per readable event before yielding to other connections.
constexpr int kReadsPerWakeup = 4;
// A read this small is copied into a block of its size, so small chunks held by a
// delaying toxic don't each pin 64 KiB.
constexpr std::size_t kCopyBelow = 16 * 1024;
constexpr std::size_t kMaxGather = 16;
// The zero-copy path's pipe: what one splice moves at most.
constexpr std::size_t kPipeBytes = 1024 * 1024;
}  // namespace

Link::Link(Connection& connection, Stream stream, tcp::socket& from, tcp::socket& to)
    : connection_(connection),
      stream_(stream),
      from_(from),
      to_(to),
      framer_(
          stream == Stream::kUpstream ? HttpFramer::Role::kRequests : HttpFramer::Role::kResponses,
          connection.http(), connection.runtime().pool()) {
  account_.total = connection.runtime().total_held();
  gather_.reserve(kMaxGather);
}

Link::~Link() {
  connection_.runtime().forget_link(this);
  if (pipe_r_ >= 0) ::close(pipe_r_);
  if (pipe_w_ >= 0) ::close(pipe_w_);
  stages_.clear();  // before out_ and account_: their chunks release into account_
  out_.clear();
}

void Link::start() {
  read();
}

// --- the chain ---

std::size_t Link::find(const std::string& name) const {
  for (std::size_t i = 0; i < stages_.size(); ++i)
    if (stages_[i]->name() == name) return i;
  return stages_.size();
}

void Link::reindex() {
  for (std::size_t i = 0; i < stages_.size(); ++i) stages_[i]->set_index(i);
}

namespace {
// Toxicity: does this toxic apply to this connection? One keyed draw per (connection,
// toxic generation): the same connections are hit on every run with the same seed.
bool applies(Connection& connection, const ToxicConfig& config) {
  if (config.toxicity >= 1) return true;
  if (config.toxicity <= 0) return false;
  const KeyedRandom random(connection.runtime().seed(),
                           "proxy/" + connection.proxy().name() + "/" + config.name + "/toxicity");
  return random.uniform01(connection.id(), config.generation) < config.toxicity;
}
}  // namespace

void Link::add_toxic(std::shared_ptr<const ToxicConfig> config) {
  raw_ = false;
  if (pipe_bytes_ > 0) drain_pipe();
  StageContext context(*this, config);
  std::unique_ptr<Stage> stage = config->kind->make(context);
  stage->configure(config->attributes);
  stage->set_active(applies(connection_, *config));
  stages_.push_back(std::move(stage));
  reindex();
}

void Link::remove_toxic(const std::string& name) {
  const std::size_t i = find(name);
  if (i == stages_.size()) return;
  std::unique_ptr<Stage>& stage = stages_[i];
  if (stage->active()) stage->on_leave(true);
  stages_.erase(stages_.begin() + static_cast<std::ptrdiff_t>(i));
  reindex();
}

void Link::remove_all_toxics() {
  while (!stages_.empty()) remove_toxic(stages_.front()->name());
}

void Link::update_toxic(std::shared_ptr<const ToxicConfig> config) {
  const std::size_t i = find(config->name);
  if (i == stages_.size()) return;
  Stage& stage = *stages_[i];
  const bool now_active = applies(connection_, *config);
  if (stage.active() && !now_active) stage.on_leave(false);
  stage.set_config(config);
  stage.configure(config->attributes);
  stage.set_active(now_active);
}

// --- data flow ---

void Link::deliver(std::size_t index, Chunk chunk) {
  while (index < stages_.size() && !stages_[index]->active()) ++index;
  if (index < stages_.size())
    stages_[index]->on_data(std::move(chunk));
  else
    to_writer(std::move(chunk));
}

void Link::deliver_eof(std::size_t index) {
  while (index < stages_.size() && !stages_[index]->active()) ++index;
  if (index < stages_.size()) return stages_[index]->on_eof();
  eof_at_writer_ = true;
  write();
}

void Link::end_after(std::size_t index) {
  stop_reading();
  enter_eof(index + 1);
}

void Link::enter_eof(std::size_t index) {
  if (eof_entered_) return;  // a stream ends once, wherever the end came from
  eof_entered_ = true;
  if (pipe_bytes_ > 0) drain_pipe();  // what the zero-copy path holds goes before the end
  deliver_eof(index);
}

void Link::stop_reading() {
  source_done_ = true;
  connection_.runtime().forget_link(this);
}

bool Link::can_read() const {
  return !source_done_ && !connection_.closed() &&
         account_.bytes < connection_.runtime().limits().link_buffer_bytes &&
         !connection_.runtime().over_budget();
}

void Link::maybe_resume() {
  if (!reading_ && can_read()) read();
}

bool Link::framing_mid_message() const {
  return framer_.framing() && !framer_.at_boundary();
}

void Link::read() {
  if (reading_ || source_done_ || connection_.closed()) return;
  if (!can_read()) {
    if (connection_.runtime().over_budget() && !waiting_budget_) {
      waiting_budget_ = true;
      connection_.runtime().wait_for_budget(this);
    }
    return;  // writes will call maybe_resume()
  }
  reading_ = true;
  from_.async_wait(tcp::socket::wait_read, [self = connection_.shared_from_this(),
                                            this](const boost::system::error_code& ec) {
    reading_ = false;
    if (connection_.closed()) return;
    if (ec) return source_ended();
    read_now();
  });
}

void Link::read_now() {
  if (raw_ && raw_eligible()) return pump();
  BlockPool& pool = connection_.runtime().pool();
  auto& stats = connection_.proxy().stats();
  for (int i = 0; i < kReadsPerWakeup && can_read(); ++i) {
    Block* block = pool.take(BlockPool::kMaxBlock);
    boost::system::error_code ec;
    const std::size_t n = from_.read_some(asio::buffer(block->data(), block->capacity), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      pool.give_back(block);
      break;
    }
    if (ec || n == 0) {
      pool.give_back(block);
      return source_ended();  // FIN, or an error Toxiproxy also treats as the end
    }
    const TimePoint stamp = Clock::now();
    Chunk chunk;
    if (n < kCopyBelow) {
      chunk = Chunk(pool, std::string_view(block->data(), n), stamp);
      pool.give_back(block);
    } else {
      chunk = Chunk(block, n, stamp);
    }
    chunk.set_account(&account_);
    bytes_in_ += n;
    stats.received_bytes[static_cast<int>(stream_)] += n;
    framed_.clear();
    framer_.feed(std::move(chunk), framed_);
    for (Chunk& piece : framed_) {
      const bool response_end = stream_ == Stream::kDownstream && piece.message_end;
      deliver(0, std::move(piece));
      if (response_end) connection_.response_finished();
      if (connection_.closed()) return;
    }
    if (n < BlockPool::kMaxBlock) break;  // drained for now
    // A full block: a bulk stream. Plain bytes with no toxic can move without copies.
    if (raw_eligible()) {
      raw_ = true;
      return pump();
    }
  }
  read();
}

// --- the zero-copy path ---

bool Link::raw_eligible() const {
  return stages_.empty() && !framer_.framing() && out_.empty() && !writing_ && !eof_entered_ &&
         !finished_;
}

bool Link::open_pipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return false;  // out of descriptors: copy
  pipe_r_ = fds[0];
  pipe_w_ = fds[1];
  ::fcntl(pipe_w_, F_SETPIPE_SZ, static_cast<int>(kPipeBytes));  // best effort
  return true;
}

void Link::pump() {
  if (pipe_r_ < 0 && !open_pipe()) {
    raw_ = false;
    return read();
  }
  auto& stats = connection_.proxy().stats();
  const int in = from_.native_handle(), out = to_.native_handle();
  bool dest_full = false;
  for (int i = 0; i < 64; ++i) {
    bool moved = false;
    if (!source_done_ && pipe_bytes_ < kPipeBytes) {
      const ssize_t n = ::splice(in, nullptr, pipe_w_, nullptr, kPipeBytes - pipe_bytes_,
                                 SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        pipe_bytes_ += static_cast<std::size_t>(n);
        bytes_in_ += static_cast<std::size_t>(n);
        stats.received_bytes[static_cast<int>(stream_)] += static_cast<std::size_t>(n);
        moved = true;
      } else if (n == 0 || errno != EAGAIN) {
        stop_reading();  // FIN, or an error treated as one (as on the copying path)
      }
    }
    if (pipe_bytes_ > 0) {
      const ssize_t m =
          ::splice(pipe_r_, nullptr, out, nullptr, pipe_bytes_, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (m > 0) {
        pipe_bytes_ -= static_cast<std::size_t>(m);
        bytes_out_ += static_cast<std::size_t>(m);
        stats.sent_bytes[static_cast<int>(stream_)] += static_cast<std::size_t>(m);
        moved = true;
      } else if (m < 0 && errno == EAGAIN) {
        dest_full = true;
      } else {
        return connection_.abort();
      }
    }
    if (!moved || dest_full) break;
  }
  if (source_done_ && pipe_bytes_ == 0) return enter_eof(0);
  if (pipe_bytes_ > 0 && !waiting_write_) {
    waiting_write_ = true;
    to_.async_wait(tcp::socket::wait_write, [self = connection_.shared_from_this(),
                                             this](const boost::system::error_code& ec) {
      waiting_write_ = false;
      if (connection_.closed()) return;
      if (ec) return connection_.abort();
      if (pipe_bytes_ > 0) pump();
    });
  }
  if (pipe_bytes_ < kPipeBytes) read();
}

void Link::drain_pipe() {
  // Bytes already read go out before anything that passes the new toxic: copy them from
  // the pipe into the writer's queue (rare: only when a toxic arrives mid-stream).
  BlockPool& pool = connection_.runtime().pool();
  while (pipe_bytes_ > 0) {
    Block* block = pool.take(BlockPool::kMaxBlock);
    const ssize_t n =
        ::read(pipe_r_, block->data(), std::min<std::size_t>(block->capacity, pipe_bytes_));
    if (n <= 0) {
      pool.give_back(block);
      break;
    }
    pipe_bytes_ -= static_cast<std::size_t>(n);
    Chunk chunk(block, static_cast<std::size_t>(n), Clock::now());
    chunk.set_account(&account_);
    out_.push_back(std::move(chunk));
  }
  pipe_bytes_ = 0;
  write();
}

void Link::source_ended() {
  if (source_done_) return;
  stop_reading();
  framed_.clear();
  framer_.finish(framed_);
  for (Chunk& piece : framed_) deliver(0, std::move(piece));
  enter_eof(0);
}

// --- the writer ---

void Link::to_writer(Chunk chunk) {
  if (finished_ || eof_at_writer_) return;  // nothing may follow the FIN
  if (stream_ == Stream::kUpstream && chunk.message_start)
    connection_.http().forwarded(chunk.message);
  // Nothing queued: try to write at once, without a trip through the event loop.
  if (!writing_ && out_.empty()) {
    boost::system::error_code ec;
    const std::size_t n = to_.write_some(asio::buffer(chunk.data(), chunk.size()), ec);
    if (!ec) {
      bytes_out_ += n;
      connection_.proxy().stats().sent_bytes[static_cast<int>(stream_)] += n;
      if (n == chunk.size()) {
        chunk = Chunk();  // releases its bytes
        maybe_resume();
        connection_.runtime().bytes_released();
        return;
      }
      chunk.consume(n);
    } else if (ec != asio::error::would_block && ec != asio::error::try_again) {
      return connection_.abort();
    }
  }
  out_.push_back(std::move(chunk));
  write();
}

void Link::write() {
  if (writing_ || finished_) return;
  if (out_.empty()) {
    if (eof_at_writer_) writer_finished();
    return;
  }
  writing_ = true;
  // Several chunks in one writev: slicer pieces and small HTTP messages go out together.
  gather_.clear();
  for (std::size_t i = 0; i < out_.size() && i < kMaxGather; ++i)
    gather_.emplace_back(out_[i].data(), out_[i].size());
  asio::async_write(to_, gather_,
                    [self = connection_.shared_from_this(), this](
                        const boost::system::error_code& ec, std::size_t written) {
                      writing_ = false;
                      if (connection_.closed()) return;
                      if (ec) return connection_.abort();
                      bytes_out_ += written;
                      connection_.proxy().stats().sent_bytes[static_cast<int>(stream_)] += written;
                      for (std::size_t left = written; left > 0;) {
                        Chunk& front = out_.front();
                        if (front.size() > left) {
                          front.consume(left);
                          break;
                        }
                        left -= front.size();
                        out_.pop_front();
                      }
                      maybe_resume();
                      connection_.runtime().bytes_released();
                      write();
                    });
}

void Link::writer_finished() {
  finished_ = true;
  boost::system::error_code ignored;
  to_.shutdown(tcp::socket::shutdown_send, ignored);
  connection_.link_finished();
}

}  // namespace faultline::proxy
