// The real Toxiproxy client from the npm registry (toxiproxy-node-client, pinned in
// package.json) against `faultline proxy`: every call the client makes, as its users
// make it, plus the effect of a toxic on real bytes. Bounded (a 90 s guard), loopback
// only, and it stops the proxy it started.
//   node toxiproxy_client_test.js FAULTLINE_BINARY NODE_MODULES_DIR
// Exit 0: passed; 1: failed; 77: the client is not installed (scripts/npm-test-clients.sh).
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const [faultline, modules] = process.argv.slice(2);
const clientDir = path.resolve(modules || '', 'toxiproxy-node-client');
if (!modules || !fs.existsSync(clientDir)) {
  console.log(`SKIP: ${clientDir} is not installed; run scripts/npm-test-clients.sh`);
  process.exit(77);
}
const { Toxiproxy } = require(clientDir);

const guard = setTimeout(() => {
  console.error('FAIL: the test did not finish within 90 s');
  process.exit(1);
}, 90000);

let checks = 0;
function check(condition, what) {
  assert.ok(condition, what);
  checks++;
}

// An echo server: the upstream.
function startEcho() {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.pipe(socket));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function startProxy() {
  return new Promise((resolve, reject) => {
    const child = spawn(faultline, ['proxy', '--port', '0', '--seed', '5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      const m = out.match(/control API on http:\/\/(127\.0\.0\.1:\d+)/);
      if (m) resolve({ child, api: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`faultline proxy exited early (${code}): ${out}`)));
  });
}

// Milliseconds for one byte to go through `listen` and come back.
function roundTrip(listen) {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = net.connect(port, host, () => socket.write('x'));
    socket.on('data', () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

async function rejectsWith(promise, status) {
  await assert.rejects(promise, (e) => e.name === 'Error' && e.message === `Request failed with status code ${status}`);
  checks++;
}

async function main() {
  const echo = await startEcho();
  const upstream = `127.0.0.1:${echo.address().port}`;
  const { child, api } = await startProxy();
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const toxiproxy = new Toxiproxy(`http://${api}`);

  const version = await toxiproxy.getVersion();
  check(JSON.parse(version).version.startsWith('2.12.0'), `version ${version}`);

  const proxy = await toxiproxy.createProxy({ name: 'redis', listen: '127.0.0.1:0', upstream });
  check(/^127\.0\.0\.1:\d+$/.test(proxy.listen) && proxy.enabled === true, `created ${proxy.listen}`);
  check((await roundTrip(proxy.listen)) < 400, 'no toxic: fast');

  const all = await toxiproxy.getAll();
  check(Object.keys(all).length === 1 && all.redis.upstream === upstream, 'getAll');
  check((await toxiproxy.get('redis')).listen === proxy.listen, 'get');

  const toxic = await proxy.addToxic({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 500, jitter: 0 } });
  check(toxic.name === 'latency_downstream' && toxic.type === 'latency' && toxic.toxicity === 1, 'addToxic');
  check(toxic.attributes.latency === 500 && toxic.attributes.jitter === 0, 'attributes echoed');
  const slow = await roundTrip(proxy.listen);
  check(slow >= 500 && slow < 3000, `latency toxic: ${slow} ms`);

  const updated = await toxic.update({ attributes: { latency: 50 }, toxicity: 1 });
  check(updated.attributes.latency === 50 && updated.attributes.jitter === 0, 'toxic.update');
  check((await proxy.getToxic('latency_downstream')).attributes.latency === 50, 'getToxic');
  await rejectsWith(proxy.addToxic({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: {} }), 409);
  await rejectsWith(proxy.addToxic({ type: 'no_such_toxic', stream: 'upstream', toxicity: 1, attributes: {} }), 400);
  await rejectsWith(proxy.addToxic({ type: 'latency', name: 'x', stream: 'sideways', toxicity: 1, attributes: {} }), 400);
  await toxic.remove();
  check((await roundTrip(proxy.listen)) < 400, 'toxic removed');
  await rejectsWith(proxy.getToxic('latency_downstream'), 404);

  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream });
  check(disabled.enabled === false, 'disabled');
  await assert.rejects(roundTrip(proxy.listen), (e) => e.code === 'ECONNREFUSED');
  checks++;
  await toxiproxy.reset();
  check((await toxiproxy.get('redis')).enabled === true, 'reset enables');
  check((await roundTrip(proxy.listen)) < 400, 'up again');

  const populated = await toxiproxy.populate([
    { name: 'redis', listen: proxy.listen, upstream },
    { name: 'mysql', listen: '127.0.0.1:0', upstream },
  ]);
  check(Object.keys(populated).sort().join() === 'mysql,redis', 'populate');
  await rejectsWith(toxiproxy.createProxy({ name: 'mysql', listen: '127.0.0.1:0', upstream }), 409);
  await rejectsWith(toxiproxy.createProxy({ name: 'bad', listen: 'local373', upstream }), 400);

  await (await toxiproxy.get('mysql')).remove();
  await rejectsWith(toxiproxy.get('mysql'), 404);
  await proxy.remove();
  check(Object.keys(await toxiproxy.getAll()).length === 0, 'all removed');

  child.kill('SIGTERM');
  const { code } = await exited;
  check(code === 143, `exit code after SIGTERM: ${code}`);
  echo.close();
  clearTimeout(guard);
  console.log(`ok: ${checks} checks with toxiproxy-node-client against faultline proxy`);
}

main().catch((e) => {
  console.error('FAIL:', e);
  process.exit(1);
});
