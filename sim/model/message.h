// How a message is named inside a run. Every per-message random draw is keyed by
// (borrower, MessageKey) — never by the vendor or the time — so the same reminder meets
// the same luck in every strategy (common random numbers), whichever path it takes.
// Events carry the key packed into their 64-bit `arg`, with the vendor in the top bits.
#pragma once

#include <cstdint>

#include "sim/scenario/scenario.h"

namespace faultline {

struct MessageKey {
  std::uint8_t rule = 0;     // index into Scenario::reminders
  std::uint8_t attempt = 0;  // 0 = first send; retries, fallbacks and resends count up
  Channel channel = Channel::sms;

  std::uint64_t packed() const {
    return rule | (std::uint64_t{attempt} << 8) |
           (std::uint64_t{static_cast<std::uint8_t>(channel)} << 16);
  }
  static MessageKey unpack(std::uint64_t v) {
    return {static_cast<std::uint8_t>(v & 0xff), static_cast<std::uint8_t>((v >> 8) & 0xff),
            static_cast<Channel>((v >> 16) & 0xff)};
  }
};

// Event arg: the key in the low 24 bits, the vendor index (SMS) in bits 24-31.
inline std::uint64_t message_arg(MessageKey key, int vendor = 0) {
  return key.packed() | (static_cast<std::uint64_t>(vendor & 0xff) << 24);
}
inline int arg_vendor(std::uint64_t arg) {
  return static_cast<int>((arg >> 24) & 0xff);
}
inline MessageKey arg_key(std::uint64_t arg) {
  return MessageKey::unpack(arg & 0xffffff);
}

}  // namespace faultline
