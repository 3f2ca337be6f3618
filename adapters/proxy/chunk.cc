#include "adapters/proxy/chunk.h"

#include <bit>
#include <cassert>
#include <new>

namespace faultline::proxy {

namespace {
int class_of(std::size_t bytes) {
  const std::size_t rounded = std::bit_ceil(std::max(bytes, BlockPool::kMinBlock));
  return std::countr_zero(rounded) - std::countr_zero(BlockPool::kMinBlock);
}
}  // namespace

BlockPool::~BlockPool() {
  for (auto& list : free_)
    for (Block* b : list) ::operator delete(b);
}

Block* BlockPool::take(std::size_t bytes) {
  assert(bytes <= kMaxBlock);
  const int c = class_of(bytes);
  if (!free_[c].empty()) {
    Block* b = free_[c].back();
    free_[c].pop_back();
    kept_ -= b->capacity;
    return b;
  }
  const std::size_t capacity = kMinBlock << c;
  auto* b = static_cast<Block*>(::operator new(sizeof(Block) + capacity));
  b->pool = this;
  b->capacity = static_cast<std::uint32_t>(capacity);
  b->size_class = static_cast<std::uint8_t>(c);
  return b;
}

void BlockPool::give_back(Block* block) {
  if (kept_ + block->capacity > keep_bytes_) {
    ::operator delete(block);
    return;
  }
  kept_ += block->capacity;
  free_[block->size_class].push_back(block);
}

Chunk::Chunk(BlockPool& pool, std::string_view bytes, TimePoint stamp_at)
    : stamp(stamp_at),
      block_(pool.take(bytes.size())),
      size_(static_cast<std::uint32_t>(bytes.size())) {
  std::memcpy(block_->data(), bytes.data(), bytes.size());
}

Chunk& Chunk::operator=(Chunk&& other) noexcept {
  if (this != &other) {
    release();
    block_ = std::exchange(other.block_, nullptr);
    account_ = std::exchange(other.account_, nullptr);
    offset_ = std::exchange(other.offset_, 0);
    size_ = std::exchange(other.size_, 0);
    stamp = other.stamp;
    message = other.message;
    message_start = other.message_start;
    message_end = other.message_end;
  }
  return *this;
}

void Chunk::set_account(Account* account) {
  if (account_ == account || !block_) return;
  if (account_) {
    account_->bytes -= block_->capacity;
    if (account_->total) *account_->total -= block_->capacity;
  }
  account_ = account;
  if (account_) {
    account_->bytes += block_->capacity;
    if (account_->total) *account_->total += block_->capacity;
  }
}

void Chunk::release() {
  set_account(nullptr);
  if (block_) block_->pool->give_back(block_);
  block_ = nullptr;
}

Chunk Chunk::slice(BlockPool& pool, std::size_t from, std::size_t n) const {
  Chunk out(pool, view().substr(from, n), stamp);
  out.message = message;
  out.message_start = message_start && from == 0;
  out.message_end = message_end && from + n == size_;
  out.set_account(account_);
  return out;
}

}  // namespace faultline::proxy
