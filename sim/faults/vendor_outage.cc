// vendor_outage: an SMS vendor stops working for a window. `reject` refuses messages at
// the API (the sender sees errors); `silent_drop` accepts and loses them without a word —
// the mortgage "SMS disappeared" pattern; `backlog` accepts and holds them until the
// outage ends (validity may run out); `receipt_loss` delivers but loses the receipts,
// which can fool receipt-rate monitors. Calibration: SMS API outages of 30 min to 2 h 41 min
// (Vonage 2021, TSG 2022, Messente 2019, Nexmo 2017 status pages).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"

namespace faultline {

namespace {
OutageMode mode_of(const std::string& m) {
  if (m == "reject") return OutageMode::kReject;
  if (m == "backlog") return OutageMode::kBacklog;
  if (m == "receipt_loss") return OutageMode::kReceiptLoss;
  return OutageMode::kSilentDrop;
}

void apply(const ScheduledFault& f, const SmsPath& sms) {
  SmsVendor& v = sms.vendor(f.target);
  for (const Window& w : f.windows) v.add_outage({w.start, w.end, mode_of(f.params.text("mode"))});
}

const RegisterFault registered{
    {.info =
         {.name = "vendor_outage",
          .summary =
              "an SMS vendor rejects, silently drops, holds back, or loses receipts of messages",
          .params = with_schedule(
              {{"target", ParamKind::kVendor, "", "the vendor that fails"},
               {"mode", ParamKind::kChoice, "silent_drop",
                "reject: API errors; silent_drop: accepted and lost; backlog: held until the end; "
                "receipt_loss: delivered but receipts lost",
                "reject|silent_drop|backlog|receipt_loss"}},
              "2h"),
          .effect = "`reject` (API errors), `silent_drop` (accepted, lost, no receipt), `backlog` "
                    "(held until the end), `receipt_loss` (delivered, receipts lost)",
          .calibration = "SMS API outages 30 min – 2 h 41 min; Vonage 2021: half of traffic, "
                         "failover data centre failed too (status pages — A)",
          .renamed = {{.key = "mode", .old_value = "dlr_loss", .new_value = "receipt_loss"}}},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
