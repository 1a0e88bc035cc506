// stripe-identity (this package) against stripe-node 23.1.0, side by side in one run, on the
// same loopback servers: a fixed-response server (server/examples/fixed_server.rs, answering one fixed
// session or page, so the server costs both clients the same) and identity-mock (release).
// For each: retrieve, create and list(limit=10), one call at a time and with 16 in flight.
//
// Run by scripts/bench.sh (which builds everything). A benchmark, not a test: it asserts
// nothing and prints a table. BENCH_SECONDS (default 2) is the measuring time of each cell;
// each cell is measured twice, alternating the clients, and the better run kept.
//
// Each row also measures, in the same alternation, the loopback floor: a bare socket (node:net,
// no HTTP library, no JSON) sending the row's own request to the same server (floorRequest: a
// retrieve's GET, a create's POST with its form body and an idempotency key of its own, a
// list's GET with ?limit=10) and reading the answer's bytes, one connection per call in
// flight. It is the cost of that round trip here, which no client can beat, so floor /
// stripe-node (the `ceiling` column) bounds the ratio any client could reach in that row. Its
// CPU per call (this process's, which does nothing else meanwhile) is what the round trip alone
// costs a Node process: the send, the wait in the event loop, the wake-up and the read.
//
// Then the same over HTTPS against identity-mock with --tls-cert (a throwaway CA made by
// server/examples/test_certs.rs; stripe-node trusts it through its own https.Agent's `ca`,
// this package through `ca`). The floor there is a bare TLS socket (node:tls). BENCH_ONLY_HTTPS=1 runs only that table,
// BENCH_ONLY_FIXED=1 only the fixed server's rows.
//
// Every row, plain HTTP and HTTPS alike, gives each client's CPU per call (process.cpuUsage():
// user + system, every thread of the client's process, libuv's pool included, over the calls of
// the best run) and this package's system calls per call: `strace -f -c` on a child process
// (bench/calls.mjs) that makes SYSCALL_N1 calls of the row after a warm-up, then again with
// SYSCALL_N2, and the slope (count(N2) - count(N1)) / (N2 - N1), so that start-up and the
// warm-up do not count. Without strace that column says n/a. BENCH_JSON=FILE also writes the
// rows as JSON (one object per row, read by the chart).
//
// Last, a table the goals leave out: the fixed server holding each answer SLOW_MS (a remote
// API's round trip), retrieves at 1 and 16 in flight. On loopback a call's own cost is what
// shows; here only how many calls a client keeps on the wire at once does, and the CPU a call
// costs when its answer is far away. BENCH_SLOW=0 skips it.
//
// Each client runs in a process of its own (bench/client-process.mjs, forked here), as a user's
// server would run it: in one process the two would share V8's heap, and the garbage one
// leaves would be collected, and its CPU counted, in the other's runs. This process measures
// the floor and directs the runs; while one client's process measures, the other waits.

import { fork, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { KEY, REPO, makeTestCerts, startMock, startServer } from '../test/support.mjs';
import { makeClient, operations } from './clients.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS || 2);
const WARMUP_SECONDS = 0.5;
const ROUNDS = 2;
const IN_FLIGHT = 16;
const SLOW_MS = 20;
const SYSCALL_N1 = 200;
const SYSCALL_N2 = 1200;
const CALLS_SCRIPT = fileURLToPath(new URL('calls.mjs', import.meta.url));
const CLIENT_PROCESS = fileURLToPath(new URL('client-process.mjs', import.meta.url));
const STRACE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const json = [];

/** The system calls of every thread of `node calls.mjs ...args` (strace -f -c), or null. */
function countSyscalls(args) {
  const out = path.join(os.tmpdir(), `stripe-identity-strace-${process.pid}.txt`);
  const run = spawnSync('strace', ['-f', '-c', '-o', out, process.execPath, CALLS_SCRIPT, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (run.status !== 0) {
    console.error(`strace run failed (${run.status}): ${run.stderr}`);
    return null;
  }
  // The last line: `100.00  seconds  usecs/call  calls  [errors]  total`.
  const total = fs.readFileSync(out, 'utf8').trim().split('\n').at(-1).trim().split(/\s+/);
  fs.rmSync(out, { force: true });
  return total.at(-1) === 'total' ? Number(total[3]) : null;
}

/** This package's system calls per call in one row: the slope between two call counts. */
function syscallsPerCall(baseUrl, op, inFlight, id, caFile) {
  if (!STRACE) return null;
  const args = (n) => [baseUrl, op, String(inFlight), String(n), id, ...(caFile ? [caFile] : [])];
  const a = countSyscalls(args(SYSCALL_N1));
  const b = countSyscalls(args(SYSCALL_N2));
  return a === null || b === null ? null : (b - a) / (SYSCALL_N2 - SYSCALL_N1);
}

/** One row as the chart reads it. */
function jsonRow(table, server, op, inFlight, node, mine, floor, syscalls, parseUs) {
  return {
    lang: 'node',
    table,
    server,
    operation: op,
    concurrency: inFlight,
    ours: { calls_per_s: Math.round(mine.rate), cpu_us_per_call: round1(mine.cpu) },
    official: { calls_per_s: Math.round(node.rate), cpu_us_per_call: round1(node.cpu) },
    floor_calls_per_s: Math.round(floor.rate),
    floor_cpu_us_per_call: round1(floor.cpu),
    // What turning the row's answer into objects costs at the least (parseCost).
    floor_parse_us: round1(parseUs),
    syscalls_per_call: syscalls === null ? null : round1(syscalls),
  };
}

const round1 = (x) => Math.round(x * 10) / 10;
const fmtSyscalls = (x) => (x === null ? 'n/a' : x.toFixed(1));

/**
 * The client `kind` of `baseUrl`'s server in a process of its own (client-process.mjs):
 * `run(op, inFlight, seconds)` measures a row there and gives { rate, cpu }.
 */
function clientProcess(kind, baseUrl, sessionId, caFile) {
  const child = fork(CLIENT_PROCESS, [kind, baseUrl, sessionId, ...(caFile ? [caFile] : [])]);
  return {
    run: (op, inFlight, seconds) =>
      new Promise((resolve, reject) => {
        const ended = (code, signal) => reject(new Error(`${kind}'s process ended (${code ?? signal})`));
        child.once('exit', ended);
        child.once('message', (result) => {
          child.off('exit', ended);
          resolve(result);
        });
        child.send({ op, inFlight, seconds });
      }),
    stop: () => child.kill(),
  };
}

/**
 * The bytes of one request of the row `op`, as few as the server needs to answer it as it
 * answers the clients: a create carries the clients' form body and an idempotency key of its
 * own per request (identity-mock stores each key, as it does the clients').
 */
function floorRequest(op, sessionId) {
  const auth = `Host: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n`;
  const path = '/v1/identity/verification_sessions';
  if (op === 'retrieve') {
    const request = `GET ${path}/${sessionId} HTTP/1.1\r\n${auth}\r\n`;
    return () => request;
  }
  if (op === 'list(limit=10)') {
    const request = `GET ${path}?limit=10 HTTP/1.1\r\n${auth}\r\n`;
    return () => request;
  }
  if (op === 'create') {
    const body = 'type=document&metadata%5Border%5D=42';
    const head =
      `POST ${path} HTTP/1.1\r\n${auth}Content-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${body.length}\r\nIdempotency-Key: floor-${randomUUID()}-`;
    let key = 0;
    return () => `${head}${key++}\r\n\r\n${body}`;
  }
  throw new Error(`no floor request for ${op}`);
}

/**
 * Microseconds per `JSON.parse` of an answer's body as text: the cheapest way JavaScript has to
 * turn the answer into objects, which every client (stripe-node too) pays at least once per
 * call on top of the round trip. Best of 5 rounds.
 */
function parseCost(body) {
  const text = body.toString();
  const number = Math.max(20, Math.floor(200_000 / Math.max(text.length, 1)));
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < number; i++) JSON.parse(text);
    best = Math.min(best, (performance.now() - start) / number);
  }
  return best * 1000;
}

/**
 * The floor: `inFlight` bare keep-alive connections, each writing the row's request and reading
 * its answer. Returns the calls per second, this process's CPU µs per call (what the bare round
 * trip costs a Node process: the send, the wait in the event loop, the wake-up and the read)
 * and the last answer's body.
 */
async function measureFloor(port, op, sessionId, inFlight, seconds, ca = null) {
  const request = floorRequest(op, sessionId);
  const connect = () =>
    new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port, noDelay: true };
      const socket = ca
        ? tls.connect({ ...options, ca, servername: undefined }, () => resolve(socket))
        : net.connect(options, () => resolve(socket));
      socket.once('error', reject);
    });
  const sockets = await Promise.all(Array.from({ length: inFlight }, connect));
  let body = Buffer.alloc(0);
  const exchange = (socket) =>
    new Promise((resolve) => {
      let data = Buffer.alloc(0);
      const onData = (chunk) => {
        data = Buffer.concat([data, chunk]);
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(data.subarray(0, end).toString())[1]);
        if (data.length >= end + 4 + length) {
          socket.off('data', onData);
          body = data.subarray(end + 4, end + 4 + length);
          resolve();
        }
      };
      socket.on('data', onData);
      socket.write(request());
    });
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    sockets.map(async (socket) => {
      while (performance.now() < end) {
        await exchange(socket);
        calls++;
      }
    }),
  );
  const rate = calls / ((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpu);
  for (const socket of sockets) socket.destroy();
  return { rate, cpu: (used.user + used.system) / Math.max(calls, 1), body };
}

/**
 * One row: a warm-up of both clients, then ROUNDS runs of each client and of the floor,
 * alternated; the best run of each is kept (the floor's with the body of its last answer).
 */
async function measureRow(clients, port, op, id, inFlight, ca = null) {
  await clients.node.run(op, inFlight, WARMUP_SECONDS);
  await clients.ours.run(op, inFlight, WARMUP_SECONDS);
  const best = (a, b) => (b.rate > a.rate ? b : a);
  let node = { rate: 0 };
  let mine = { rate: 0 };
  let floor = { rate: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    node = best(node, await clients.node.run(op, inFlight, SECONDS));
    mine = best(mine, await clients.ours.run(op, inFlight, SECONDS));
    floor = best(floor, await measureFloor(port, op, id, inFlight, SECONDS, ca));
  }
  return { node, mine, floor };
}

/**
 * Checks that both clients give the same answer to a retrieve of a session made for the rows,
 * and starts their processes; gives { id, clients }.
 */
async function startClients(baseUrl, ca, caFile) {
  const mine = makeClient('stripe-identity', baseUrl, ca);
  const id = (await mine.identity.verificationSessions.create({ type: 'document' })).id;
  const [a, b] = [
    await operations(mine, id).retrieve(),
    await operations(makeClient('stripe-node', baseUrl, ca), id).retrieve(),
  ];
  // Both clients must give the same answers before their speed means anything.
  if (a.id !== b.id || a.status !== b.status) throw new Error(`the clients disagree: ${a.id} ${b.id}`);
  const clients = {
    node: clientProcess('stripe-node', baseUrl, id, caFile),
    ours: clientProcess('stripe-identity', baseUrl, id, caFile),
  };
  return { id, clients, ops: Object.keys(operations(mine, id)) };
}

async function benchServer(label, port) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const { id, clients, ops } = await startClients(baseUrl);
  const rows = [];
  try {
    for (const op of ops) {
      for (const inFlight of [1, IN_FLIGHT]) {
        const { node, mine, floor } = await measureRow(clients, port, op, id, inFlight);
        const syscalls = syscallsPerCall(baseUrl, op, inFlight, id);
        const parseUs = parseCost(floor.body);
        rows.push({ server: label, op, inFlight, node, mine, floor, syscalls, parseUs });
        json.push(jsonRow('http', label, op, inFlight, node, mine, floor, syscalls, parseUs));
        printRow(rows.at(-1));
      }
    }
  } finally {
    clients.node.stop();
    clients.ours.stop();
  }
  return rows;
}

/** The HTTPS table: both clients and the bare TLS floor against identity-mock over TLS. */
async function benchHttps(port, ca, caFile) {
  const baseUrl = `https://127.0.0.1:${port}`;
  const { id, clients, ops } = await startClients(baseUrl, ca, caFile);
  console.log("\nOver HTTPS (identity-mock with --tls-cert), CPU per call of each client's process:\n");
  console.log(
    '| operation | in flight | stripe-node/s | µs CPU/call | stripe-identity/s | µs CPU/call | ratio | CPU ratio | floor/s | µs CPU/call | ceiling | JSON.parse µs | syscalls/call |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  try {
    for (const op of ops) {
      for (const inFlight of [1, IN_FLIGHT]) {
        const { node, mine, floor } = await measureRow(clients, port, op, id, inFlight, ca);
        const parseUs = parseCost(floor.body);
        const syscalls = syscallsPerCall(baseUrl, op, inFlight, id, caFile);
        json.push(jsonRow('https', 'identity-mock TLS', op, inFlight, node, mine, floor, syscalls, parseUs));
        const fmt = (x) => Math.round(x).toLocaleString('en-US');
        console.log(
          `| ${op} | ${inFlight} | ${fmt(node.rate)} | ${fmt(node.cpu)} | ${fmt(mine.rate)} | ${fmt(mine.cpu)} ` +
            `| ${(mine.rate / node.rate).toFixed(2)}x | ${(node.cpu / mine.cpu).toFixed(2)}x | ${fmt(floor.rate)} ` +
            `| ${fmt(floor.cpu)} | ${(floor.rate / node.rate).toFixed(2)}x | ${parseUs.toFixed(1)} | ${fmtSyscalls(syscalls)} |`,
        );
      }
    }
  } finally {
    clients.node.stop();
    clients.ours.stop();
  }
}

/** The table of a server that takes SLOW_MS to answer (the fixed server with --delay-ms). */
async function benchSlow(server) {
  const label = `fixed, ${SLOW_MS} ms`;
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const { id, clients } = await startClients(baseUrl);
  console.log(
    `\nA server that holds each answer ${SLOW_MS} ms (fixed-server --delay-ms ${SLOW_MS}; not among the goals):\n`,
  );
  printHeader();
  try {
    for (const inFlight of [1, IN_FLIGHT]) {
      const { node, mine, floor } = await measureRow(clients, server.port, 'retrieve', id, inFlight);
      const row = {
        server: label,
        op: 'retrieve',
        inFlight,
        node,
        mine,
        floor,
        syscalls: null,
        parseUs: parseCost(floor.body),
      };
      json.push(jsonRow('slow', label, 'retrieve', inFlight, node, mine, floor, null, row.parseUs));
      printRow(row, false);
    }
  } finally {
    clients.node.stop();
    clients.ours.stop();
  }
}

const pad = (s, n) => String(s).padEnd(n);
const num = (x) => Math.round(x).toLocaleString('en-US');

function printHeader() {
  console.log(
    `${pad('server', 14)}${pad('operation', 16)}${pad('in flight', 11)}${'stripe-node/s'.padStart(14)}${'µs CPU'.padStart(8)}` +
      `${'stripe-identity/s'.padStart(19)}${'µs CPU'.padStart(8)}${'ratio'.padStart(8)}${'CPU ratio'.padStart(11)}` +
      `${'floor/s'.padStart(10)}${'µs CPU'.padStart(8)}${'ceiling'.padStart(9)}${'JSON.parse µs'.padStart(15)}${'syscalls/call'.padStart(15)}`,
  );
  console.log('-'.repeat(166));
}

/** One row of a table; `goal` false for a row the goal of 3x stripe-node does not cover. */
function printRow(r, goal = true) {
  const ratio = r.mine.rate / r.node.rate;
  const flag = ratio >= 3 || !goal ? '' : '  < 3x';
  const ceiling = `${(r.floor.rate / r.node.rate).toFixed(2)}x`;
  console.log(
    `${pad(r.server, 14)}${pad(r.op, 16)}${pad(r.inFlight, 11)}${num(r.node.rate).padStart(14)}${num(r.node.cpu).padStart(8)}` +
      `${num(r.mine.rate).padStart(19)}${num(r.mine.cpu).padStart(8)}${`${ratio.toFixed(2)}x`.padStart(8)}` +
      `${`${(r.node.cpu / r.mine.cpu).toFixed(2)}x`.padStart(11)}${num(r.floor.rate).padStart(10)}${num(r.floor.cpu).padStart(8)}${ceiling.padStart(9)}` +
      `${r.parseUs.toFixed(1).padStart(15)}${fmtSyscalls(r.syscalls).padStart(15)}${flag}`,
  );
}

/**
 * Keeps every thread of process `pid` on the vCPUs `cpus` (a taskset list), when set: with
 * BENCH_PIN_SERVER and BENCH_PIN_CLIENT the servers and this process run on vCPUs of their own
 * (`make bench-pinned`). Threads started later inherit it.
 */
function pin(pid, cpus) {
  if (!cpus) return;
  const run = spawnSync('taskset', ['-acp', cpus, String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`taskset -acp ${cpus} ${pid} failed: ${run.stderr || run.error}`);
}

async function main() {
  pin(process.pid, process.env.BENCH_PIN_CLIENT);
  const fixedBinary =
    process.env.FIXED_SERVER || path.join(REPO, 'target', 'release', 'examples', 'fixed-server');
  const fixed = await startServer(fixedBinary, []);
  const slow = await startServer(fixedBinary, ['--delay-ms', String(SLOW_MS)]);
  // As the TLS one below: no connection closed mid-measure (the bare floor would hang on it).
  const mock = await startMock('--max-requests-per-connection', '4000000000');
  const certs = makeTestCerts();
  const secure = await startMock(
    '--tls-cert',
    path.join(certs, 'server.pem'),
    '--tls-key',
    path.join(certs, 'server-key.pem'),
    // No connection closed mid-measure (the default closes one after 1,000 requests, which
    // would cost every client a handshake, and hang the bare floor).
    '--max-requests-per-connection',
    '4000000000',
  );
  for (const server of [fixed, slow, mock, secure]) pin(server.pid, process.env.BENCH_PIN_SERVER);
  if (process.env.BENCH_PIN_CLIENT) {
    console.log(
      `pinned: servers on CPUs ${process.env.BENCH_PIN_SERVER ?? 'any'}, this client on ${process.env.BENCH_PIN_CLIENT}`,
    );
  }
  console.log(
    `node ${process.version}, stripe-node ${Stripe.PACKAGE_VERSION ?? '23.1.0'}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ` +
      `${SECONDS}s per cell (best of ${ROUNDS}), ${WARMUP_SECONDS}s warm-up, load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    STRACE
      ? `syscalls/call: strace -f -c, slope between ${SYSCALL_N1} and ${SYSCALL_N2} calls after a warm-up\n`
      : 'syscalls/call: n/a, strace is not installed (bash tests/peers/os-packages.sh strace installs it)\n',
  );
  try {
    if (!process.env.BENCH_ONLY_HTTPS) await benchPlain(fixed, mock);
    if (!process.env.BENCH_ONLY_FIXED) {
      const caFile = path.join(certs, 'ca.pem');
      await benchHttps(secure.port, fs.readFileSync(caFile), caFile);
    }
    if (process.env.BENCH_SLOW !== '0') await benchSlow(slow);
    if (process.env.BENCH_JSON) {
      fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 2)}\n`);
      console.log(`\nrows written to ${process.env.BENCH_JSON}`);
    }
  } finally {
    await fixed.stop();
    await slow.stop();
    await mock.stop();
    await secure.stop();
  }
}

async function benchPlain(fixed, mock) {
  {
    printHeader();
    const rows = [
      ...(await benchServer('fixed', fixed.port)),
      ...(process.env.BENCH_ONLY_FIXED ? [] : await benchServer('identity-mock', mock.port)),
    ];
    const ratio = (r) => r.mine.rate / r.node.rate;
    const worst = rows.reduce((w, r) => (ratio(r) < ratio(w) ? r : w));
    console.log(
      `lowest ratio: ${ratio(worst).toFixed(2)}x (${worst.server} ${worst.op}, ${worst.inFlight} in flight)`,
    );
  }
}

await main();
