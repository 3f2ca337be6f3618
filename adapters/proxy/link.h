// One direction of a proxied connection: reads from one socket, runs the bytes through
// the chain of toxic stages, writes them to the other socket. Toxiproxy's ToxicLink.
//
// The hot path, with no toxic: wait until the source is readable, read up to 64 KiB into
// a pooled block (no buffer is held while a connection is idle, so 1,000 idle
// connections cost their sockets and little else), frame it (http_framer.h), write it.
// Back-pressure: the link stops reading while the bytes it holds exceed its cap, or while
// the whole process holds more than its cap (Runtime), and starts again when writes
// drain them — a slow peer or a bandwidth toxic slows the sender through TCP, never
// grows memory.
//
// Bulk bytes with no toxic and no HTTP framing take a zero-copy path: splice(2) from the
// source socket into a pipe and from the pipe into the destination, so the proxy never
// copies them (what keeps it near a direct connection's throughput). A link switches to
// it after a full 64 KiB read, and back when a toxic arrives (what the pipe holds is
// written first); small-message traffic stays on the copying path, which answers sooner.
//
// The end of a stream: the source's FIN travels the chain as an EOF, and once everything
// before it is written the destination gets a FIN (shutdown of the sending side): a
// half-closed connection stays half-open, as without a proxy. A write error ends the
// connection at once.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <memory>
#include <vector>

#include "adapters/proxy/chunk.h"
#include "adapters/proxy/http_framer.h"
#include "adapters/proxy/stage.h"

namespace faultline::proxy {

class Connection;

class Link {
 public:
  Link(Connection& connection, Stream stream, boost::asio::ip::tcp::socket& from,
       boost::asio::ip::tcp::socket& to);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  void start();

  // The chain, kept in the proxy's toxic order for this stream.
  void add_toxic(std::shared_ptr<const ToxicConfig> config);
  void remove_toxic(const std::string& name);
  void update_toxic(std::shared_ptr<const ToxicConfig> config);
  void remove_all_toxics();

  // Data and EOF entering stage `index` (== number of stages: the writer).
  void deliver(std::size_t index, Chunk chunk);
  void deliver_eof(std::size_t index);
  // A toxic ended the stream at stage `index`: stop reading, and let an EOF run through
  // the stages after it.
  void end_after(std::size_t index);
  // Stop reading the source (the other side is closing); what is held still goes out.
  void stop_reading();
  // Resume reading if caps allow (after bytes left, or the process budget freed up).
  void maybe_resume();
  // The process budget has room again (Runtime::bytes_released).
  void budget_available() {
    waiting_budget_ = false;
    maybe_resume();
  }

  Connection& connection() { return connection_; }
  Stream stream() const { return stream_; }
  bool finished() const { return finished_; }
  Account& account() { return account_; }
  bool framing_mid_message() const;
  std::uint64_t bytes_in() const { return bytes_in_; }
  std::uint64_t bytes_out() const { return bytes_out_; }

 private:
  void read();
  void read_now();
  void source_ended();
  bool raw_eligible() const;
  bool open_pipe();
  void pump();
  void drain_pipe();
  void enter_eof(std::size_t index);
  void to_writer(Chunk chunk);
  void write();
  void writer_finished();
  bool can_read() const;
  std::size_t find(const std::string& name) const;
  void reindex();

  Connection& connection_;
  Stream stream_;
  boost::asio::ip::tcp::socket& from_;
  boost::asio::ip::tcp::socket& to_;
  Account account_;  // before the stages and the queue: they release into it when destroyed
  HttpFramer framer_;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::deque<Chunk> out_;
  std::vector<Chunk> framed_;                      // scratch for the framer's output
  std::vector<boost::asio::const_buffer> gather_;  // reserved once: no allocation per write
  std::uint64_t bytes_in_ = 0, bytes_out_ = 0;
  bool reading_ = false;  // an async_wait for readability is pending
  bool writing_ = false;
  bool source_done_ = false;    // no more reads (EOF, error, or stopped)
  bool eof_entered_ = false;    // an EOF entered the chain (from the source or a toxic)
  bool eof_at_writer_ = false;  // the EOF reached the end of the chain
  bool finished_ = false;       // the EOF was written (FIN sent) or the link gave up
  bool waiting_budget_ = false;
  bool raw_ = false;            // on the zero-copy path
  bool waiting_write_ = false;  // the zero-copy path waits for the destination
  int pipe_r_ = -1, pipe_w_ = -1;
  std::size_t pipe_bytes_ = 0;
};

}  // namespace faultline::proxy
