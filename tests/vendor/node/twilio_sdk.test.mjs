// The emulator speaks Twilio's Messages API well enough for Twilio's own Node helper
// library: create and fetch messages, Twilio's errors as RestExceptions with their codes,
// status callbacks that the library's validateRequest accepts, 429 with Retry-After when
// throttled, and a clean stop on SIGTERM (exit 143) with a complete ledger.
import test from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import http from 'node:http';
import { startEmulator, startSink, clientFor, twilio, readLedger } from './harness.mjs';

const scenario = 'tests/vendor/sdk.yaml';
const token = 'sdk-test-token';

test('the twilio helper library against the emulator', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-sdk-'));
  const ledger = path.join(dir, 'ledger.jsonl');
  const sink = await startSink();
  // 1 simulated minute per wall second: receipts (7 s carrier + 5 s DLR) in ~0.2 s.
  const emu = await startEmulator(scenario, ['--time-scale', '60', '--auth-token', token, '--ledger', ledger, '--max-pending', '40']);
  try {
    const alpha = emu.accounts.alpha;
    assert.match(alpha, /^AC[0-9a-f]{32}$/);
    const client = clientFor(emu.port, alpha, token);

    await t.test('create answers 201 with a queued message resource', async () => {
      const m = await client.messages.create({ to: '+15551230001', from: '+15005550006', body: 'Your instalment is due tomorrow', statusCallback: sink.url() });
      assert.match(m.sid, /^SM[0-9a-f]{32}$/);
      assert.equal(m.status, 'queued');
      assert.equal(m.accountSid, alpha);
      assert.equal(m.to, '+15551230001');
      assert.equal(m.direction, 'outbound-api');
      assert.ok(m.dateCreated instanceof Date && !Number.isNaN(m.dateCreated.getTime()));
      // Callbacks: "sent", then the final status, each signed with the account's token.
      const got = await sink.until((r) => r.filter((x) => x.params.MessageSid === m.sid).length >= 2);
      const mine = got.filter((x) => x.params.MessageSid === m.sid);
      assert.deepEqual(mine.map((x) => x.params.MessageStatus), ['sent', 'delivered']);
      for (const cb of mine) {
        assert.equal(cb.params.AccountSid, alpha);
        assert.ok(twilio.validateRequest(token, cb.headers['x-twilio-signature'], sink.url(), cb.params), 'signature validates');
        assert.ok(!twilio.validateRequest('another-token', cb.headers['x-twilio-signature'], sink.url(), cb.params));
      }
      const fetched = await client.messages(m.sid).fetch();
      assert.equal(fetched.sid, m.sid);
      assert.equal(fetched.status, 'delivered');
      assert.ok(fetched.dateSent instanceof Date);
    });

    await t.test('a wrong token is 401 with code 20003', async () => {
      const bad = clientFor(emu.port, alpha, 'wrong');
      await assert.rejects(bad.messages.create({ to: '+15551230002', from: '+15005550006', body: 'x' }),
        (e) => e.status === 401 && e.code === 20003 && e.moreInfo === 'https://www.twilio.com/docs/errors/20003');
    });

    await t.test('bad input gets Twilio\'s own answers', async () => {
      await assert.rejects(client.messages.create({ to: '12', from: '+15005550006', body: 'x' }), (e) => e.status === 400 && e.code === 21211);
      await assert.rejects(client.messages.create({ to: '+15551230003', from: '+15005550006' }), (e) => e.status === 400 && e.code === 21602);
      await assert.rejects(client.messages.create({ to: '+15551230003', body: 'x' }), (e) => e.status === 400 && e.code === 21603);
      await assert.rejects(client.messages.create({ to: '+15551230003', from: '+15005550006', body: 'x'.repeat(1601) }), (e) => e.code === 21617);
      await assert.rejects(client.messages('SM00000000000000000000000000000000').fetch(), (e) => e.status === 404 && e.code === 20404);
      const unknown = clientFor(emu.port, 'AC' + '0'.repeat(32), token);
      await assert.rejects(unknown.messages.create({ to: '+15551230003', from: '+15005550006', body: 'x' }), (e) => e.status === 404 && e.code === 20404);
    });

    await t.test('a refusing callback URL is retried, recorded, and blocks nothing', async () => {
      const refused = 'http://127.0.0.1:9/nobody-listens';
      const m1 = await client.messages.create({ to: '+15551230010', from: '+15005550006', body: 'a', statusCallback: refused });
      const m2 = await client.messages.create({ to: '+15551230011', from: '+15005550006', body: 'b', statusCallback: sink.url('/ok') });
      await sink.until((r) => r.some((x) => x.params.MessageSid === m2.sid && x.params.MessageStatus === 'delivered'));
      assert.ok(m1.sid);
    });

    await t.test('a callback URL that hangs holds up no other receiver', async () => {
      const sockets = [];
      const hang = http.createServer(() => {});  // reads the request, never answers
      hang.on('connection', (s) => sockets.push(s));
      await new Promise((r) => hang.listen(0, '127.0.0.1', r));
      const hangUrl = `http://127.0.0.1:${hang.address().port}/hang`;
      try {
        for (let i = 0; i < 5; i++)
          await client.messages.create({ to: `+155512301${20 + i}`, from: '+15005550006', body: 'h', statusCallback: hangUrl });
        const started = Date.now();
        const m = await client.messages.create({ to: '+15551230130', from: '+15005550006', body: 'ok', statusCallback: sink.url('/after-hang') });
        await sink.until((r) => r.some((x) => x.params.MessageSid === m.sid && x.params.MessageStatus === 'delivered'), 5000);
        assert.ok(Date.now() - started < 2000, 'the other receiver got its receipt on time');
      } finally {
        for (const s of sockets) s.destroy();
        hang.close();
      }
    });

    await t.test('overload: 429 with code 20429 and Retry-After, never unbounded', async () => {
      // --max-pending 40: the 41st message with callbacks still to come is refused.
      const sends = [];
      for (let i = 0; i < 60; i++)
        sends.push(client.messages.create({ to: `+1555124${String(i).padStart(4, '0')}`, from: '+15005550006', body: 'load', statusCallback: sink.url('/load') }).then(() => 'ok', (e) => e));
      const results = await Promise.all(sends);
      const throttled = results.filter((r) => r !== 'ok');
      assert.ok(throttled.length > 0, 'some requests are throttled');
      for (const e of throttled) assert.ok(e.status === 429 && e.code === 20429, `got ${e.status} ${e.code}`);
      const raw = await fetch(`http://127.0.0.1:${emu.port}/2010-04-01/Accounts/${alpha}/Messages.json`, {
        method: 'POST',
        headers: { Authorization: 'Basic ' + Buffer.from(`${alpha}:${token}`).toString('base64'), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: '+15551250000', From: '+15005550006', Body: 'x', StatusCallback: sink.url('/load') }),
      });
      if (raw.status === 429) assert.match(raw.headers.get('retry-after'), /^\d+$/);
    });

    await t.test('the SDK\'s own 429 retry (autoRetry) gets through once the backlog drains', async () => {
      const patient = clientFor(emu.port, alpha, token, { autoRetry: true, maxRetries: 8, maxRetryDelay: 1000 });
      const m = await patient.messages.create({ to: '+15551260000', from: '+15005550006', body: 'eventually', statusCallback: sink.url('/load') });
      assert.equal(m.status, 'queued');
    });
  } finally {
    emu.proc.kill('SIGTERM');
    const end = await emu.exited;
    await sink.close();
    assert.equal(end.code, 143, `SIGTERM exits 143 (${end.err})`);
    const lines = readLedger(ledger);
    assert.equal(lines[0].event, 'start');
    assert.equal(lines.at(-1).event, 'stop');
    const failed = lines.filter((l) => l.event === 'callback' && l.error !== null);
    assert.ok(failed.some((l) => l.attempts > 1), 'the refused callback was retried');
    assert.ok(lines.some((l) => l.event === 'throttled' && l.count > 0));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
