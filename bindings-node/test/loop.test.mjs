// Calls over HTTP made on the JavaScript thread, their sockets watched by Node's event loop
// (src/on_loop.rs): what they wait for (an answer, a deadline, the pause before a retry) is the
// loop's, calls start no thread of libuv's pool, and calls made at once are on the wire
// together. The servers here run in this very process, on the same loop as the calls.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { Client, StripeConnectionError } from 'stripe-identity';
import { KEY, fakeStripe, startMock } from './support.mjs';

const session = (id) => JSON.stringify({ id, object: 'identity.verification_session', metadata: {} });

/**
 * Threads of a child process that made `rounds` rounds of `inFlight` retrieves at once (one at a
 * time when 1), with `env`.
 */
function threadsAfterCalls(url, rounds, inFlight, env) {
  const script = `
    const fs = require('node:fs');
    const { Client } = require('stripe-identity');
    (async () => {
      const vs = new Client(${JSON.stringify(KEY)}, { baseUrl: ${JSON.stringify(url)} })
        .identity.verificationSessions;
      const s = await vs.create({ type: 'document' });
      for (let i = 0; i < ${rounds}; i++) {
        await Promise.all(Array.from({ length: ${inFlight} }, () => vs.retrieve(s.id)));
      }
      console.log(fs.readdirSync('/proc/self/task').length);
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env } });
  return Number(out.toString().trim());
}

/**
 * System calls of the JavaScript thread alone (strace without -f: the process's first thread)
 * per call, by name, in a child process making `op` one at a time: the slope between N1 and N2
 * calls, so start-up and the first connection do not count. `null` where strace cannot run.
 */
function syscallsPerCall(url, op) {
  const count = (calls) => {
    const out = path.join(os.tmpdir(), `si-strace-${process.pid}-${calls}`);
    const script = `
      const { Client } = require('stripe-identity');
      (async () => {
        const vs = new Client(${JSON.stringify(KEY)}, { baseUrl: ${JSON.stringify(url)} })
          .identity.verificationSessions;
        const s = await vs.create({ type: 'document' });
        const call = { retrieve: () => vs.retrieve(s.id), create: () => vs.create({ type: 'document' }) }[${JSON.stringify(op)}];
        for (let i = 0; i < 50; i++) await call();
        for (let i = 0; i < ${calls}; i++) await call();
      })();`;
    const run = spawnSync('strace', ['-c', '-o', out, process.execPath, '-e', script], { encoding: 'utf8' });
    if (run.error || run.status !== 0) return null;
    const table = fs.readFileSync(out, 'utf8');
    fs.rmSync(out, { force: true });
    // `% time, seconds, usecs/call, calls, [errors,] syscall`: the calls are the fourth column.
    const counts = new Map();
    for (const fields of table.split('\n').map((line) => line.trim().split(/\s+/))) {
      if (/^\d/.test(fields[0] ?? '') && fields.length >= 5 && fields.at(-1) !== 'total') {
        counts.set(fields.at(-1), Number(fields[3]));
      }
    }
    return counts;
  };
  const [n1, n2] = [100, 600];
  const [c1, c2] = [count(n1), count(n2)];
  if (c1 === null || c2 === null) return null;
  const perCall = new Map();
  for (const name of new Set([...c1.keys(), ...c2.keys()])) {
    perCall.set(name, ((c2.get(name) ?? 0) - (c1.get(name) ?? 0)) / (n2 - n1));
  }
  return perCall;
}

describe('calls on the event loop', () => {
  test(
    'calls awaited one at a time, or sixteen at once, start no thread of the pool',
    { skip: process.platform !== 'linux' },
    async () => {
      const mock = await startMock();
      try {
        for (const inFlight of [1, 16]) {
          const onLoop = threadsAfterCalls(mock.url, 20, inFlight, {});
          const onPool = threadsAfterCalls(mock.url, 20, inFlight, { STRIPE_IDENTITY_NODE_IO: 'pool' });
          // libuv starts its pool's threads (4 unless UV_THREADPOOL_SIZE says otherwise) on first use.
          assert.ok(
            onLoop < onPool,
            `${inFlight} in flight: ${onLoop} threads on the loop, ${onPool} with the pool`,
          );
        }
      } finally {
        await mock.stop();
      }
    },
  );

  test('sixteen calls at once are sixteen requests on the wire together, more than the pool has threads', async () => {
    // The server answers nothing until sixteen requests wait at once. On libuv's pool (four
    // threads) at most four would: the guard then answers what waits, so the test fails on
    // the count instead of hanging.
    const WANTED = 16;
    const waiting = [];
    let most = 0;
    let released = false;
    const release = () => {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = req.url.split('/').pop();
        waiting.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end(session(id)));
        most = Math.max(most, waiting.length);
        if (released || waiting.length >= WANTED) release();
      });
    });
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    const guard = setTimeout(release, 10_000);
    try {
      const url = `http://127.0.0.1:${server.address().port}`;
      const vs = new Client(KEY, { baseUrl: url, maxNetworkRetries: 0 }).identity.verificationSessions;
      const ids = Array.from({ length: WANTED }, (_, i) => `vs_together${i}`);
      const sessions = await Promise.all(ids.map((id) => vs.retrieve(id)));
      assert.deepEqual(
        sessions.map((s) => s.id),
        ids,
      );
      assert.equal(most, WANTED, `at most ${most} requests waited at once`);
    } finally {
      clearTimeout(guard);
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  test(
    "one call at a time: four system calls of the call's own, and the loop's wait",
    { skip: process.platform !== 'linux' },
    async (t) => {
      // The call's own: the request's send, the liveness peek, the wait of the thread's socket
      // set once the loop wakes, the answer's receive; a socket already in the set is not added
      // again. The loop's `epoll_pwait` is Node's, not counted: one, or two when the answer is
      // not there yet (Node measures the loop's idle time, so libuv first polls without
      // waiting), and more when something else wakes the loop.
      const mock = await startMock('--max-requests-per-connection', '4000000000');
      try {
        for (const op of ['retrieve', 'create']) {
          const perCall = syscallsPerCall(mock.url, op);
          if (perCall === null) {
            t.diagnostic('strace could not run here: not counted (make tools installs it)');
            return;
          }
          const named = [...perCall]
            .filter(([, n]) => Math.abs(n) >= 0.01)
            .map(([k, n]) => `${k} ${n.toFixed(2)}`);
          t.diagnostic(`${op}: ${named.join(', ')}`);
          const own = [...perCall]
            .filter(([name]) => name !== 'epoll_pwait')
            .reduce((sum, [, n]) => sum + n, 0);
          // A few calls in a hundred may meet the garbage collector's own system calls.
          assert.ok(
            own <= 4.2,
            `${op}: ${own.toFixed(2)} system calls per call besides the loop's: ${named}`,
          );
        }
      } finally {
        await mock.stop();
      }
    },
  );

  test('a server on the same loop answers, one call at a time and sixteen at once', async () => {
    const server = await fakeStripe((req) => ({ text: session(req.url.split('/').pop()) }));
    try {
      const vs = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 0 }).identity.verificationSessions;
      for (const id of ['vs_1', 'vs_2', 'vs_3']) {
        const s = await vs.retrieve(id);
        assert.equal(s.id, id);
        assert.equal(s.lastResponse.statusCode, 200);
      }
      const ids = Array.from({ length: 16 }, (_, i) => `vs_many${i}`);
      const many = await Promise.all(ids.map((id) => vs.retrieve(id)));
      assert.deepEqual(
        many.map((s) => s.id),
        ids,
      );
      assert.equal(server.requests.length, 19);
    } finally {
      await server.close();
    }
  });

  test("an awaited call keeps its caller's AsyncLocalStorage context", async () => {
    const server = await fakeStripe((req) => ({ text: session(req.url.split('/').pop()) }));
    try {
      const vs = new Client(KEY, { baseUrl: server.url }).identity.verificationSessions;
      const als = new AsyncLocalStorage();
      const alone = await als.run('alone', async () => {
        await vs.retrieve('vs_alone');
        return als.getStore();
      });
      assert.equal(alone, 'alone');
      const together = await Promise.all(
        ['a', 'b', 'c'].map((store) =>
          als.run(store, async () => {
            await vs.retrieve(`vs_${store}`);
            await vs.retrieve(`vs_${store}2`);
            return als.getStore();
          }),
        ),
      );
      assert.deepEqual(together, ['a', 'b', 'c']);
    } finally {
      await server.close();
    }
  });

  test('a host name is looked up off the JavaScript thread, then the call goes on on the loop', async () => {
    const server = await fakeStripe((req) => ({ text: session(req.url.split('/').pop()) }));
    try {
      const port = new URL(server.url).port;
      const vs = new Client(KEY, { baseUrl: `http://localhost:${port}` }).identity.verificationSessions;
      assert.equal((await vs.retrieve('vs_named')).id, 'vs_named');
      assert.equal((await vs.retrieve('vs_named2')).id, 'vs_named2');
    } finally {
      await server.close();
    }
  });

  test('the pause before a retry is a timer of the loop', async () => {
    let n = 0;
    const server = await fakeStripe(() => {
      n += 1;
      return n === 1
        ? { status: 500, text: '{"error":{"type":"api_error"}}' }
        : { text: session('vs_again') };
    });
    try {
      const vs = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 1 }).identity.verificationSessions;
      const s = await vs.create({ type: 'document' });
      assert.equal(s.id, 'vs_again');
      assert.equal(server.requests.length, 2);
      assert.equal(
        server.requests[0].headers['idempotency-key'],
        server.requests[1].headers['idempotency-key'],
        'the retry carries the same key',
      );
    } finally {
      await server.close();
    }
  });

  test('a server that never answers: the deadline is a timer of the loop', async () => {
    const held = [];
    const server = net.createServer((socket) => held.push(socket));
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${server.address().port}`;
      const vs = new Client(KEY, { baseUrl: url, maxNetworkRetries: 0, timeout: 300 }).identity
        .verificationSessions;
      const err = await vs.retrieve('vs_never').catch((e) => e);
      assert.ok(err instanceof StripeConnectionError, `${err}`);
      assert.match(err.message, /timeout/);
      // The loop went on: a second call to a server that answers works at once.
      const answering = await fakeStripe(() => ({ text: session('vs_after') }));
      try {
        const other = new Client(KEY, { baseUrl: answering.url }).identity.verificationSessions;
        assert.equal((await other.retrieve('vs_after')).id, 'vs_after');
      } finally {
        await answering.close();
      }
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((done) => server.close(done));
    }
  });

  test('a worker thread ended while its calls wait: no handle is left open, the process goes on', () => {
    // libuv refuses to close a worker's loop with open handles, and Node then aborts.
    const script = `
      const { Worker } = require('node:worker_threads');
      const net = require('node:net');
      const server = net.createServer(() => {}).listen(0, '127.0.0.1', () => {
        const url = 'http://127.0.0.1:' + server.address().port;
        const worker = new Worker(\`
          const { Client } = require('stripe-identity');
          const { parentPort } = require('node:worker_threads');
          const vs = new Client(${JSON.stringify(KEY)}, { baseUrl: '\${url}' }).identity.verificationSessions;
          for (const id of ['vs_never', 'vs_never2', 'vs_never3']) vs.retrieve(id);
          parentPort.postMessage('sent');
        \`, { eval: true });
        worker.once('message', () => setTimeout(async () => {
          await worker.terminate();
          console.log('ended');
          process.exit(0);
        }, 100));
      });`;
    const out = execFileSync(process.execPath, ['-e', script]);
    assert.equal(out.toString().trim(), 'ended');
  });
});
