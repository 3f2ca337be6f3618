// The bytes moving through a proxy link: a Chunk is one read's worth of data (or a piece
// of one) in a pooled block, stamped with the time the proxy read it — latency toxics
// delay relative to that stamp, as Toxiproxy's do — and, when the stream is HTTP/1.1,
// tagged with the message it belongs to (http_framer.h), so HTTP-aware toxics can act on
// whole requests and responses.
//
// Blocks come from a BlockPool in power-of-two size classes (512 B .. 64 KiB) and go back
// to it when their chunk dies: no heap allocation per chunk once the pool is warm. A
// chunk owns its block alone (move-only), so a chunk's cost is exactly its block's
// capacity; links count that cost against their buffering caps (back-pressure).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::proxy {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

class BlockPool;

struct Block {
  BlockPool* pool;
  std::uint32_t capacity;
  std::uint8_t size_class;
  char* data() { return reinterpret_cast<char*>(this + 1); }
};

// Free lists per size class, bounded so an idle proxy gives memory back.
class BlockPool {
 public:
  static constexpr std::size_t kMinBlock = 512;
  static constexpr std::size_t kMaxBlock = 64 * 1024;
  static constexpr int kClasses = 8;  // 512 B .. 64 KiB

  explicit BlockPool(std::size_t keep_bytes = 8 * 1024 * 1024) : keep_bytes_(keep_bytes) {}
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // A block of at least `bytes` (at most kMaxBlock).
  Block* take(std::size_t bytes);
  void give_back(Block* block);
  std::size_t kept_bytes() const { return kept_; }

 private:
  std::vector<Block*> free_[kClasses];
  std::size_t keep_bytes_;
  std::size_t kept_ = 0;
};

// Bytes held by a link (and, through `total`, by the whole process): charged when a chunk
// joins the link, released when it is written or dropped.
struct Account {
  std::size_t bytes = 0;
  std::size_t* total = nullptr;
};

class Chunk {
 public:
  static constexpr std::uint32_t kNoMessage = 0xffffffffu;

  Chunk() = default;
  // A copy of `bytes` (at most BlockPool::kMaxBlock) in a block from `pool`.
  Chunk(BlockPool& pool, std::string_view bytes, TimePoint stamp);
  // Adopts `block`, of which the first `size` bytes are data.
  Chunk(Block* block, std::size_t size, TimePoint at)
      : stamp(at), block_(block), size_(static_cast<std::uint32_t>(size)) {}
  Chunk(Chunk&& other) noexcept { *this = std::move(other); }
  Chunk& operator=(Chunk&& other) noexcept;
  Chunk(const Chunk&) = delete;
  Chunk& operator=(const Chunk&) = delete;
  ~Chunk() { release(); }

  const char* data() const { return block_ ? block_->data() + offset_ : nullptr; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data(), size_}; }
  bool empty() const { return size_ == 0; }
  // Bytes of memory this chunk holds (its block's capacity): what buffering caps count.
  std::size_t cost() const { return block_ ? block_->capacity : 0; }
  // Charges this chunk's cost to `account` until it dies (or moves to another account).
  void set_account(Account* account);
  // Drops the first n bytes (a partial write).
  void consume(std::size_t n) {
    offset_ += static_cast<std::uint32_t>(n);
    size_ -= static_cast<std::uint32_t>(n);
  }
  // Keeps the first n bytes.
  void truncate(std::size_t n) { size_ = static_cast<std::uint32_t>(n); }
  // A new chunk with bytes [from, from + n) of this one (copied), same stamp and tags.
  Chunk slice(BlockPool& pool, std::size_t from, std::size_t n) const;

  TimePoint stamp{};
  std::uint32_t message = kNoMessage;  // HTTP message index in this direction
  bool message_start = false;          // the chunk begins that message
  bool message_end = false;            // ... ends it (final responses and requests only)

 private:
  void release();

  Block* block_ = nullptr;
  Account* account_ = nullptr;
  std::uint32_t offset_ = 0;
  std::uint32_t size_ = 0;
};

}  // namespace faultline::proxy
