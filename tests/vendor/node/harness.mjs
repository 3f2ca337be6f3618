// Shared by the Node tests of the SMS-vendor emulator: start `faultline vendor` on a free
// loopback port and read its banner; a callback sink; the official `twilio` helper
// library (pinned in package.json, installed by scripts/npm-test-clients.sh under build/)
// pointed at the emulator through a custom httpClient — the SDK's documented way to send
// its requests elsewhere. Every process and server started here is stopped by the test.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';

export const binary = process.env.FAULTLINE_BINARY;
export const sourceDir = process.env.FAULTLINE_SOURCE_DIR;
const npmDir = process.env.FAULTLINE_NPM_DIR;
if (!binary || !sourceDir || !npmDir) throw new Error('FAULTLINE_BINARY, FAULTLINE_SOURCE_DIR and FAULTLINE_NPM_DIR must be set (ctest sets them)');
if (!fs.existsSync(path.join(npmDir, 'node_modules', 'twilio')))
  throw new Error(`the twilio helper library is not installed in ${npmDir}: run scripts/npm-test-clients.sh`);
const require = createRequire(path.join(npmDir, 'package.json'));
export const twilio = require('twilio');
const RequestClient = require('twilio/lib/base/RequestClient');

// Starts the emulator; resolves with {port, accounts: {name: sid}, token, proc, exited}.
export function startEmulator(scenario, extra = [], { timeoutMs = 15000 } = {}) {
  const args = ['vendor', scenario, '--listen', '127.0.0.1:0', ...extra];
  const proc = spawn(binary, args, { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`emulator did not start: ${err}`)); }, timeoutMs);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (!m) return;
      clearTimeout(timer);
      const accounts = {};
      for (const line of out.split('\n')) {
        const a = line.match(/^(\S+) AccountSid (AC[0-9a-f]{32})$/);
        if (a) accounts[a[1]] = a[2];
      }
      const token = (out.match(/^auth token (\S+)$/m) || [])[1];
      resolve({ port: Number(m[1]), accounts, token, proc, exited });
    });
    proc.on('exit', () => { clearTimeout(timer); reject(new Error(`emulator exited early: ${err}`)); });
  });
}

// A Twilio client whose requests go to the emulator instead of api.twilio.com.
// `requestOptions` go to the SDK's RequestClient (autoRetry, maxRetries, maxRetryDelay...).
export function clientFor(emulatorPort, accountSid, token, requestOptions = {}) {
  class LocalClient {
    constructor() { this.inner = new RequestClient(requestOptions); }
    request(opts) {
      const u = new URL(opts.uri);
      return this.inner.request({ ...opts, uri: `http://127.0.0.1:${emulatorPort}${u.pathname}${u.search}` });
    }
  }
  return twilio(accountSid, token, { httpClient: new LocalClient() });
}

// A status-callback sink: records every POST (path, headers, form fields, arrival time).
export function startSink() {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      received.push({ path: req.url, headers: req.headers, params, at: Date.now() });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      for (const w of waiters.splice(0)) w();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({
        port, received, url: (p = '/status') => `http://127.0.0.1:${port}${p}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
        // Resolves when `pred(received)` holds, or rejects after timeoutMs.
        until: (pred, timeoutMs = 10000) => new Promise((res2, rej) => {
          const deadline = setTimeout(() => rej(new Error(`timed out; received ${received.length}`)), timeoutMs);
          const check = () => { if (pred(received)) { clearTimeout(deadline); res2(received); } else waiters.push(check); };
          check();
        }),
      });
    });
  });
}

export function readLedger(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
