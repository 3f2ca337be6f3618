// A per: borrower fault through Twilio's own Node helper library: with
// tests/vendor/engine-corr.yaml the vendor fails 30 % of numbers, every message to them,
// from 1 h to 3 h (docs/model.md, "Failures correlated over borrowers"). Three messages to
// each of 30 numbers, created by the SDK inside the window and fetched back: per number
// all three `failed` (30008) or none. Both kinds occur (all 30 alike: p = 0.3^30 + 0.7^30
// ≈ 2e-5).
import test from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, clientFor } from './harness.mjs';

const token = 'corr-token';

async function simSeconds(port) {
  const r = await fetch(`http://127.0.0.1:${port}/faultline/clock`);
  return (await r.json()).sim_time_s;
}

test('a per-borrower vendor fault fails the same numbers through the twilio SDK', async () => {
  // 40 simulated minutes per wall second: the window opens 1.5 s after the start.
  const emu = await startEmulator('tests/vendor/engine-corr.yaml', ['--time-scale', '2400', '--auth-token', token]);
  try {
    const client = clientFor(emu.port, emu.accounts.alpha, token);
    while (await simSeconds(emu.port) < 65 * 60) await new Promise((r) => setTimeout(r, 50));
    const sids = new Map();  // number → message sids
    for (let k = 0; k < 3; ++k) {
      for (let i = 0; i < 30; ++i) {
        const to = `+1555600${String(i).padStart(4, '0')}`;
        const m = await client.messages.create({ to, from: '+15005550006', body: 'Your instalment is due' });
        if (!sids.has(to)) sids.set(to, []);
        sids.get(to).push(m.sid);
      }
    }
    assert.ok(await simSeconds(emu.port) < 175 * 60, 'every message was created inside the window');
    await new Promise((r) => setTimeout(r, 200));  // 8 simulated minutes: every fate is known
    let affected = 0;
    for (const [to, list] of sids) {
      const fetched = await Promise.all(list.map((sid) => client.messages(sid).fetch()));
      const failed = fetched.filter((m) => m.status === 'failed');
      for (const m of failed) assert.equal(m.errorCode, 30008);
      assert.ok(failed.length === 0 || failed.length === 3, `${to}: ${fetched.map((m) => m.status)}`);
      affected += failed.length === 3;
    }
    assert.ok(affected > 0 && affected < 30, `${affected} of 30 numbers failed`);
  } finally {
    emu.proc.kill('SIGKILL');
    await emu.exited;
  }
});
