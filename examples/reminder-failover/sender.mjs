#!/usr/bin/env node
// A reminder sender with receipt-rate failover, written against Twilio's Messages API with
// Twilio's own Node helper library — the kind of notification service a lender runs — so
// it can be pointed at `faultline vendor` and tested against a scenario's vendor faults.
//
// It sends a batch of reminders through the primary vendor, listens for status callbacks
// (checking each X-Twilio-Signature), and watches the delivery-receipt rate of what it sent
// between `lag` and `lag + window` ago. When that rate drops below `threshold` (with at
// least `min` messages to judge), it fails over: every later reminder goes through the
// secondary vendor. A health check cannot see a silent drop — the API still answers 201 —
// but the receipts stop, and this catches it.
//
// Durations are real-world ones; --time-scale divides them, so the client keeps pace with
// an emulator running N times faster than real time. Output: JSON lines on stdout
// ({"event": "failover", ...} when it happens, {"event": "summary", ...} at the end).
//
//   node sender.mjs --api http://127.0.0.1:8480 --token TOKEN \
//     --primary AC... --secondary AC... [--messages 400] [--rate 20] [--time-scale 1] \
//     [--window 15m] [--lag 2m] [--threshold 30%] [--min 20] [--drain 5s]
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

// The helper library: from FAULTLINE_NPM_DIR when the faultline tests run this, else from
// this folder's node_modules (npm install here).
const require = createRequire(import.meta.url);
const twilio = require(process.env.FAULTLINE_NPM_DIR
  ? path.join(process.env.FAULTLINE_NPM_DIR, 'node_modules', 'twilio') : 'twilio');
const RequestClient = require(process.env.FAULTLINE_NPM_DIR
  ? path.join(process.env.FAULTLINE_NPM_DIR, 'node_modules', 'twilio', 'lib', 'base', 'RequestClient') : 'twilio/lib/base/RequestClient');

const { values: opt } = parseArgs({
  options: {
    api: { type: 'string' }, token: { type: 'string' },
    primary: { type: 'string' }, secondary: { type: 'string' },
    messages: { type: 'string', default: '400' }, rate: { type: 'string', default: '20' },
    'time-scale': { type: 'string', default: '1' }, window: { type: 'string', default: '15m' },
    lag: { type: 'string', default: '2m' }, threshold: { type: 'string', default: '30%' },
    min: { type: 'string', default: '20' }, drain: { type: 'string', default: '5s' },
    from: { type: 'string', default: '+15005550006' },
  },
});
function fail(message) { console.error(`sender: ${message}`); process.exit(2); }
for (const k of ['api', 'token', 'primary', 'secondary']) if (!opt[k]) fail(`--${k} is required`);
function seconds(text, name) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) fail(`--${name} '${text}' is not a duration like 500ms, 30s, 15m or 2h`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
}
const scale = Number(opt['time-scale']);
if (!(scale > 0)) fail('--time-scale must be above 0');
const windowMs = seconds(opt.window, 'window') / scale * 1000;
const lagMs = seconds(opt.lag, 'lag') / scale * 1000;
const drainMs = seconds(opt.drain, 'drain') * 1000;  // wall time: how long to wait at the end
const threshold = Number(opt.threshold.replace('%', '')) / (opt.threshold.endsWith('%') ? 100 : 1);
const total = Number(opt.messages), rate = Number(opt.rate), min = Number(opt.min);
const api = new URL(opt.api);

// Send the SDK's requests to the emulator instead of api.twilio.com.
class ApiClient {
  constructor() { this.inner = new RequestClient({ autoRetry: true, maxRetries: 5 }); }
  request(o) {
    const u = new URL(o.uri);
    return this.inner.request({ ...o, uri: `${api.origin}${u.pathname}${u.search}` });
  }
}
const clients = {
  [opt.primary]: twilio(opt.primary, opt.token, { httpClient: new ApiClient() }),
  [opt.secondary]: twilio(opt.secondary, opt.token, { httpClient: new ApiClient() }),
};

const sent = new Map();  // sid → {vendor, at, delivered}
const early = new Set();  // receipts that arrived before their create() resolved
let forged = 0;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const params = Object.fromEntries(new URLSearchParams(body));
    const url = `http://127.0.0.1:${server.address().port}${req.url}`;
    if (!twilio.validateRequest(opt.token, req.headers['x-twilio-signature'], url, params)) {
      ++forged;
      res.writeHead(403).end();
      return;
    }
    const m = sent.get(params.MessageSid);
    if (params.MessageStatus === 'delivered') {
      if (m) m.delivered = true;
      else early.add(params.MessageSid);
    }
    res.writeHead(204).end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const callback = `http://127.0.0.1:${server.address().port}/receipts`;

let vendor = opt.primary;
let failover = null;
let failed = 0;
function monitor() {
  if (failover) return;
  const now = Date.now();
  let n = 0, got = 0;
  for (const m of sent.values()) {
    if (m.vendor !== vendor || m.at > now - lagMs || m.at <= now - lagMs - windowMs) continue;
    ++n;
    got += m.delivered ? 1 : 0;
  }
  if (n >= min && got / n < threshold) {
    vendor = opt.secondary;
    failover = { event: 'failover', wall_ms: now, receipt_rate: got / n, window_messages: n, first_secondary_sid: null };
  }
}
const tick = setInterval(monitor, Math.max(5, windowMs / 20));

const started = Date.now();
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const via = vendor;
  const to = `+1555${String(7000000 + i)}`;
  clients[via].messages.create({ to, from: opt.from, body: 'Your instalment is due tomorrow.', statusCallback: callback })
    .then((m) => {
      sent.set(m.sid, { vendor: via, at: Date.now(), delivered: early.delete(m.sid) });
      if (failover && via === opt.secondary && !failover.first_secondary_sid) {
        failover.first_secondary_sid = m.sid;
        console.log(JSON.stringify(failover));
      }
    }, (e) => { ++failed; console.error(`sender: ${to} via ${via}: ${e.status} ${e.code} ${e.message}`); });
}
await new Promise((r) => setTimeout(r, drainMs));
clearInterval(tick);
const count = (v, f = () => true) => [...sent.values()].filter((m) => m.vendor === v && f(m)).length;
console.log(JSON.stringify({
  event: 'summary',
  sent: { primary: count(opt.primary), secondary: count(opt.secondary) },
  receipts: { primary: count(opt.primary, (m) => m.delivered), secondary: count(opt.secondary, (m) => m.delivered) },
  failed_requests: failed, forged_callbacks: forged, failover,
}));
server.close();
process.exit(0);
