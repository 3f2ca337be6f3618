// The example client (examples/reminder-failover) against the flagship scenario at
// time-scale 600: the emulator starts 20 simulated minutes before alpha's 48-hour silent
// drop (12d 22:00); the sender must fail over to beta on the receipt-rate drop, and the
// failover must fall inside the silent-drop window — not before it (a false alarm), and
// soon after it starts (within the 15-minute window + 2-minute lag, with margin).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startEmulator, readLedger, sourceDir } from './harness.mjs';

function runSender(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(sourceDir, 'examples/reminder-failover/sender.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`sender timed out: ${err}`)); }, 90000);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

test('the example sender fails over inside the silent-drop window', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-failover-'));
  const ledger = path.join(dir, 'ledger.jsonl');
  const emu = await startEmulator('scenarios/flagship-vendor-outage.yaml',
    ['--time-scale', '600', '--start', '12d 21:40', '--auth-token', 'demo', '--ledger', ledger]);
  let sender;
  try {
    // 400 reminders at 20/s: 20 s of wall time, 200 simulated minutes.
    sender = await runSender(['--api', `http://127.0.0.1:${emu.port}`, '--token', 'demo',
      '--primary', emu.accounts.alpha, '--secondary', emu.accounts.beta, '--time-scale', '600',
      '--messages', '400', '--rate', '20', '--drain', '2s']);
  } finally {
    emu.proc.kill('SIGTERM');
    const end = await emu.exited;
    assert.equal(end.code, 143, end.err);
  }
  assert.equal(sender.code, 0, sender.err);
  const lines = sender.out.trim().split('\n').map((l) => JSON.parse(l));
  const summary = lines.at(-1);
  assert.equal(summary.event, 'summary');
  assert.equal(summary.failed_requests, 0);
  assert.equal(summary.forged_callbacks, 0);
  assert.ok(summary.failover, `no failover: ${sender.out}`);
  assert.ok(summary.sent.secondary > 100, 'most of the batch went through beta');
  // When did it happen, in the scenario's time? The first message through beta.
  const entries = readLedger(ledger);
  const bySid = new Map(entries.filter((e) => e.event === 'message').map((e) => [e.message_id, e]));
  const first = bySid.get(summary.failover.first_secondary_sid);
  assert.ok(first, 'the first secondary message is in the ledger');
  assert.equal(first.vendor, 'beta');
  const dropStart = 12 * 86400 + 22 * 3600, dropEnd = dropStart + 48 * 3600;
  assert.ok(first.submitted >= dropStart && first.submitted < dropEnd,
    `failover at ${first.submitted} s is outside the silent drop [${dropStart}, ${dropEnd})`);
  console.log(`# failover ${((first.submitted - dropStart) / 60).toFixed(1)} simulated minutes after the drop began (receipt rate ${summary.failover.receipt_rate.toFixed(2)} over ${summary.failover.window_messages} messages)`);
  assert.ok(first.submitted < dropStart + 40 * 60, `failover took too long: ${(first.submitted - dropStart) / 60} min`);
  // The emulator dropped alpha's messages in the window, and beta delivered after failover.
  const alphaInDrop = entries.filter((e) => e.event === 'message' && e.vendor === 'alpha' && e.submitted >= dropStart);
  assert.ok(alphaInDrop.length > 0 && alphaInDrop.every((e) => e.cause === 'dropped'));
  assert.ok(summary.receipts.secondary > 0.4 * summary.sent.secondary);
  fs.rmSync(dir, { recursive: true, force: true });
});
