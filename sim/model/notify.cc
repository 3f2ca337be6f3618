// The notification service: reminder batches from the core's due list (and the faults
// that silence, pause or stale them), the channel router, the SMS path through vendors
// and carriers, and the other channels. Mitigations join through hooks: a message may be
// routed to another channel (kRouteMessage), another vendor (kSmsVendor, kSmsRejected),
// followed up (kSmsSubmitted, kMessageSent), and an empty batch noticed (kBatchSuppressed).
#include <algorithm>
#include <cmath>

#include "sim/model/world.h"

namespace faultline {

namespace {
constexpr std::uint64_t kFilteredFlag = 1ULL << 32;  // sms_seen arg: delivered but spam-filtered
}  // namespace

SimTime World::batch_time(std::uint32_t borrower, std::uint32_t rule) const {
  const ReminderRule& r = scenario_.reminders[rule];
  // With a spread, latency runs from the borrower's own send time, not the window's start.
  return (static_cast<SimTime>(borrowers_[borrower].due_day) - r.before_due_days) * kDay + r.at +
         spread_offset(borrower, rule);
}

SimTime World::spread_offset(std::uint32_t borrower, std::uint32_t rule) const {
  const SimTime spread = scenario_.reminders[rule].spread;
  if (spread == 0) return 0;
  if (borrower == spread_memo_.borrower && rule == spread_memo_.rule) return spread_memo_.offset;
  return spread_offsets(rule)(borrower);
}

bool World::suppressed(std::uint32_t borrower, Channel channel, SimTime t) const {
  for (const DisabledWindow& d : disabled_) {
    const SimTime end = std::min(d.w.end, d.detected_at);
    if (t >= d.w.start && t < end && cutover_affects(borrower, d.w.start, t)) return true;
  }
  for (const Pause& p : pauses_)
    if ((p.channel < 0 || p.channel == static_cast<int>(channel)) && t >= p.w.start && t < p.w.end)
      return true;
  return false;
}

void World::on_reminder_batch(void* self, Kernel&, const Event& e) {
  if (static_cast<World*>(self)->export_batch(e)) return;  // network engine: batch_export.cc
  static_cast<World*>(self)->run_batch(e.target, static_cast<std::uint32_t>(e.arg & 0xffffffff),
                                       false);
}

void World::on_resend_batch(void* self, Kernel&, const Event& e) {
  static_cast<World*>(self)->run_batch(e.target, static_cast<std::uint32_t>(e.arg & 0xffffffff),
                                       true);
}

void World::prefetch_send(std::uint32_t j) const {
  __builtin_prefetch(&borrowers_[j], 1);
}

void World::on_spread_send(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  PacedBatch& b = w.paced_[e.target];
  // Sends come in time order, so borrowers come in random order: a send's reads of the
  // borrower arrays are cache misses. Fetching a few sends ahead overlaps them with this
  // send's work (docs/performance.md, step 3).
  constexpr std::size_t kAhead = 4;
  if (b.next + kAhead < b.current.size()) w.prefetch_send(b.current[b.next + kAhead].borrower);
  const PacedBatch::Send s = b.current[b.next++];
  const MessageKey key = b.key;
  // s.at is began + the offset drawn in load_bucket: count_delivery reads it from here.
  w.spread_memo_ = {s.borrower, b.rule, s.at - b.began};
  if (b.next < b.current.size() || w.load_bucket(b))
    k.schedule_at(b.current[b.next].at, w.h_spread_send_, e.target);
  else
    b = PacedBatch{};  // released: give the memory back
  w.send(s.borrower, key);
}

bool World::load_bucket(PacedBatch& b) const {
  const auto buckets = static_cast<std::uint32_t>(b.start.size() - 1);
  while (b.bucket < buckets && b.start[b.bucket] == b.start[b.bucket + 1]) ++b.bucket;
  if (b.bucket == buckets) return false;
  b.current.clear();  // keeps its capacity: no allocation once the largest bucket is seen
  b.next = 0;
  const SpreadOffsets offset = spread_offsets(b.rule);
  for (std::uint32_t j = b.start[b.bucket]; j < b.start[b.bucket + 1]; ++j) {
    const std::uint32_t i = b.order[j];
    b.current.push_back({b.began + offset(i), i});
  }
  ++b.bucket;
  // Ties at the same microsecond go in borrower order: a total order, so deterministic.
  // A bucket is a range of send times, so sorting each bucket sorts the whole batch.
  std::sort(b.current.begin(), b.current.end(),
            [](const PacedBatch::Send& x, const PacedBatch::Send& y) {
              return x.at != y.at ? x.at < y.at : x.borrower < y.borrower;
            });
  for (std::size_t n = 0; n < b.current.size() && n < 4; ++n) prefetch_send(b.current[n].borrower);
  return true;
}

void World::run_batch(std::uint32_t rule, std::uint32_t day, bool resend) {
  const Population& p = population_;
  const SimTime now = kernel_.now();
  const Channel channel = scenario_.reminders[rule].channel;
  const bool spread = scenario_.reminders[rule].spread > 0;
  // A spread batch, pass 1: who is sent to (one bit per due-list entry) and how many
  // sends fall in each bucket of send offsets; pass 2, below, places the borrowers.
  const std::uint32_t first = p.day_start[day];
  const std::uint32_t listed = p.day_start[day + 1] - first;
  PacedBatch paced;
  // Per due-list entry, the bucket its send falls in (kNotSent: none), so pass 2 places
  // the borrowers without drawing their offsets again: one keyed draw fewer per send.
  constexpr std::uint32_t kNotSent = UINT32_MAX;
  std::vector<std::uint32_t> bucket_of;
  if (spread) {
    const std::uint32_t buckets = std::max<std::uint32_t>(1, listed / 8);
    const SimTime width = scenario_.reminders[rule].spread;
    paced.width = std::max<SimTime>(1, (width + buckets - 1) / buckets);
    paced.start.assign(static_cast<std::size_t>(buckets) + 1, 0);
    bucket_of.assign(listed, kNotSent);
  }
  const SpreadOffsets offset_of = spread_offsets(rule);
  const StaleDueList* stale = nullptr;
  for (const StaleDueList& s : stale_)
    if (now >= s.w.start && now < s.w.end) stale = &s;
  bool any_suppressed = false;
  // No notification fault in the scenario: no borrower is suppressed, and the batch's
  // loop skips the call (issue 21: ~28 instructions a borrower).
  const bool may_suppress = !disabled_.empty() || !pauses_.empty();
  for (std::uint32_t j = p.day_start[day]; j < p.day_start[day + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    const std::uint8_t bit = static_cast<std::uint8_t>(1u << rule);
    if (resend) {
      // Only the borrowers whose reminder never went out, and who still owe.
      if ((borrowers_[i].delivered_rules & bit) || (borrowers_[i].state & kSettled)) continue;
    } else {
      bool paid = (borrowers_[i].state & kSettled) != 0;
      if (stale) {
        // The due list comes from data `lag` old: recent payers are still on it, and a
        // share of borrowers is missing from it altogether.
        if (paid && paid_at_s_[i] != UINT32_MAX &&
            static_cast<SimTime>(paid_at_s_[i]) * kSecond > now - stale->lag) {
          paid = false;
          ++counters_.reminders_after_payment;
        }
        if (plugin_luck_.bernoulli(stale->missing_share, i, stale->stream | rule)) {
          if (!paid) ++counters_.reminders_scheduled;
          continue;
        }
      }
      if (paid) continue;
      ++counters_.reminders_scheduled;
    }
    if (may_suppress && suppressed(i, channel, now)) {
      any_suppressed = true;
      continue;
    }
    const MessageKey key{static_cast<std::uint8_t>(rule),
                         static_cast<std::uint8_t>(resend ? 100 : 0), channel};
    if (!spread) {
      send(i, key);
      continue;
    }
    // The due list and suppression are judged now; the message leaves at its own time.
    paced.key = key;
    const SimTime offset = offset_of(i);
    if (now + offset < scenario_.horizon) {
      const auto bucket = static_cast<std::uint32_t>(offset / paced.width);
      ++paced.start[static_cast<std::size_t>(bucket) + 1];
      bucket_of[j - first] = bucket;
    }
  }
  if (spread) {
    // Pass 2: a counting sort of the borrowers into their buckets, in due-list order.
    for (std::size_t b = 1; b < paced.start.size(); ++b) paced.start[b] += paced.start[b - 1];
    paced.order.resize(paced.start.back());
    std::vector<std::uint32_t> fill(paced.start.begin(), paced.start.end() - 1);
    for (std::uint32_t k = 0; k < listed; ++k)
      if (bucket_of[k] != kNotSent) paced.order[fill[bucket_of[k]]++] = p.by_due_day[first + k];
    paced.began = now;
    paced.rule = rule;
    if (load_bucket(paced)) {
      const SimTime at = paced.current.front().at;
      paced_.push_back(std::move(paced));
      kernel_.schedule_at(at, h_spread_send_, static_cast<std::uint32_t>(paced_.size() - 1));
    }
  }
  if (any_suppressed && !resend) {
    ++counters_.batches_suppressed;
    for (Subscriber* s : hooks_[Hook::kBatchSuppressed]) s->batch_suppressed(rule, day);
    for (const Pause& pz : pauses_)
      if (pz.resend && now >= pz.w.start && now < pz.w.end && pz.w.end < scenario_.horizon)
        kernel_.schedule_at(pz.w.end, h_resend_, rule, day);
  }
}

void World::send(std::uint32_t borrower, MessageKey key) {
  if (key.channel == Channel::sms) {
    for (Subscriber* s : hooks_[Hook::kRouteMessage]) {
      // A subscriber that moves the reminder off SMS sends it there, and that is all.
      if (const Channel c = s->route_message(borrower, key); c != Channel::sms) {
        key.channel = c;
        send_app(borrower, key);
        return;
      }
    }
    send_sms(borrower, key);
  } else {
    send_app(borrower, key);
  }
  if (hooks_.any(Hook::kMessageSent)) [[unlikely]]
    hooks_.emit_message_sent(borrower, key);
}

void World::send_sms(std::uint32_t borrower, MessageKey key) {
  const SimTime now = kernel_.now();
  int v = router_.current();
  if (hooks_.any(Hook::kSmsVendor)) [[unlikely]]
    v = hooks_.emit_sms_vendor(borrower, key, v);
  SendResult r =
      vendors_[static_cast<std::size_t>(v)].submit(now, borrower, key.packed(), counters_);
  if (r.fate == SendFate::kRejected) {
    for (Subscriber* s : hooks_[Hook::kSmsRejected]) {
      if (const int other = s->sms_rejected(borrower, key, v); other >= 0) {
        v = other;  // an API error is seen at once: the retry goes out immediately
        r = vendors_[static_cast<std::size_t>(v)].submit(now, borrower, key.packed(), counters_);
        break;
      }
    }
  }
  if (hooks_.any(Hook::kSmsSubmitted)) [[unlikely]]
    hooks_.emit_sms_submitted(borrower, key);
  if (r.fate != SendFate::kHandedToCarrier) {
    counters_.series.add(Series::sms_lost, now);
    if (r.fate != SendFate::kRejected && monitor_.enabled()) monitor_.record(v, now, false);
    return;
  }
  if (transport_ == nullptr) {
    after_carrier(borrower, key, v, r.carrier_time, now, r.expires_at);
    return;
  }
  // An SMS PDU with protocol overhead: ~200 bytes from the vendor to the carrier's SMSC.
  // The arg carries what after_carrier needs: the key, the vendor, and the expiry (s).
  const std::uint64_t arg =
      message_arg(key, v) | (static_cast<std::uint64_t>(r.expires_at / kSecond) << 32);
  transport_->send(kernel_,
                   TransportLeg{vendor_hosts_[static_cast<std::size_t>(v)],
                                carrier_hosts_[borrowers_[borrower].carrier], 200.0, r.carrier_time,
                                h_carrier_arrival_, h_network_lost_, borrower, arg});
}

void World::on_carrier_arrival(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const SimTime expires = static_cast<SimTime>(e.arg >> 32) * kSecond;
  const int v = arg_vendor(e.arg);
  const SimTime accepted = expires - w.vendors_[static_cast<std::size_t>(v)].spec().validity;
  w.after_carrier(e.target, arg_key(e.arg), v, k.now(), accepted, expires);
}

void World::on_network_lost(void* self, Kernel& k, const Event&) {
  auto& w = *static_cast<World*>(self);
  ++w.network_lost_;
  w.counters_.series.add(Series::sms_lost, k.now());
}

void World::after_carrier(std::uint32_t borrower, MessageKey key, int v, SimTime at_carrier,
                          SimTime accepted_at, SimTime expires_at) {
  const SmsVendor& vendor = vendors_[static_cast<std::size_t>(v)];
  const CarrierResult c =
      carriers_.carry(at_carrier, expires_at, borrower, borrowers_[borrower].carrier, vendor.spec(),
                      v, key.packed());
  const bool delivered = c.fate == CarrierFate::kDelivered || c.fate == CarrierFate::kFiltered;
  bool receipt = false;
  if (delivered) {
    receipt = vendor.receipt_arrives(c.at, borrower, key.packed());
    count_delivery(borrower, key, c.at);
    if (c.at < scenario_.horizon)
      kernel_.schedule_at(c.at, h_sms_seen_, borrower,
                          key.packed() | (c.fate == CarrierFate::kFiltered ? kFilteredFlag : 0));
  } else {
    if (c.fate == CarrierFate::kUndeliverable)
      ++counters_.sms_undeliverable;
    else
      ++counters_.sms_expired;
    counters_.series.add(Series::sms_lost, accepted_at);
    receipt = vendor.false_receipt(borrower, key.packed());  // "delivered", wrongly
  }
  const SimTime receipt_at = c.at + vendor.spec().receipt_delay;
  if (monitor_.enabled())
    monitor_.record(v, accepted_at, receipt && receipt_at - accepted_at <= kReceiptLag);
  if (receipt && !receipts_.empty() && receipt_at < scenario_.horizon)
    kernel_.schedule_at(receipt_at, h_receipt_, borrower, key.rule);
}

void World::send_app(std::uint32_t borrower, MessageKey key) {
  const SimTime now = kernel_.now();
  switch (key.channel) {
    case Channel::push:
      ++counters_.push_sent;
      break;
    case Channel::email:
      ++counters_.email_sent;
      break;
    case Channel::in_app:
      ++counters_.in_app_sent;
      break;
    case Channel::sms:
      break;
  }
  if (suppressed(borrower, key.channel, now)) return;
  const ChannelResult r = channels_.send(key.channel, now, borrower, key.packed());
  if (!r.delivered) return;
  count_delivery(borrower, key, r.delivered_at);
  // Apps and mailboxes tell the sender they delivered; the fallback chain stops here.
  if (!receipts_.empty() && r.delivered_at < scenario_.horizon)
    kernel_.schedule_at(r.delivered_at, h_receipt_, borrower, key.rule);
  if (r.seen && r.seen_at < scenario_.horizon)
    kernel_.schedule_at(r.seen_at, h_app_seen_, borrower, key.packed());
}

void World::count_delivery(std::uint32_t borrower, MessageKey key, SimTime at) {
  if (at >= scenario_.horizon) return;
  ++counters_.messages_delivered;
  counters_.series.add(Series::reminders_delivered, at);
  const SimTime latency = at - batch_time(borrower, key.rule);
  // Each latency goes in two histograms of each kind: its bin (a log10) found once.
  const auto ch = static_cast<std::size_t>(key.channel);
  const int bin = LatencyHistogram::bin_of(latency);
  counters_.delivery_latency.add_in(bin, latency);
  counters_.channel_latency[ch].add_in(bin, latency);
  const int fine = LatencySketch::bin_of(latency);
  counters_.delivery_latency_sketch.add_in(fine, latency);
  counters_.channel_latency_sketch[ch].add_in(fine, latency);
  if (key.channel != Channel::sms && !channels_.reachable(key.channel, borrower))
    ++counters_.sms_to_unreachable;
  const std::uint8_t bit = static_cast<std::uint8_t>(1u << key.rule);
  if (borrowers_[borrower].delivered_rules == 0) ++counters_.borrowers_reminded;
  if ((borrowers_[borrower].delivered_rules & bit) == 0) {
    borrowers_[borrower].delivered_rules |= bit;
    ++counters_.reminders_delivered;
  }
}

void World::on_sms_seen(void* self, Kernel&, const Event& e) {
  auto& w = *static_cast<World*>(self);
  if (e.arg & kFilteredFlag) return;  // in the spam folder: never seen
  w.saw_reminder(e.target, Channel::sms, arg_key(e.arg).rule);
}

void World::on_app_seen(void* self, Kernel&, const Event& e) {
  auto& w = *static_cast<World*>(self);
  w.saw_reminder(e.target, arg_key(e.arg).channel, arg_key(e.arg).rule);
}

void World::on_receipt(void* self, Kernel&, const Event& e) {
  auto& w = *static_cast<World*>(self);
  w.receipts_[e.target] |= static_cast<std::uint8_t>(1u << e.arg);
}

}  // namespace faultline
