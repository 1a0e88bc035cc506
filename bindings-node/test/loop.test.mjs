// Calls over HTTP made on the JavaScript thread, their sockets watched by Node's event loop
// (src/on_loop.rs): what they wait for (an answer, a deadline, the pause before a retry) is the
// loop's, and calls awaited one at a time start no thread of libuv's pool. The servers here
// run in this very process, on the same loop as the calls.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { Client, StripeConnectionError } from 'stripe-identity';
import { KEY, fakeStripe, startMock } from './support.mjs';

const session = (id) => JSON.stringify({ id, object: 'identity.verification_session', metadata: {} });

/** Threads of a child process that made `calls` retrieves one at a time, with `env`. */
function threadsAfterCalls(url, calls, env) {
  const script = `
    const fs = require('node:fs');
    const { Client } = require('stripe-identity');
    (async () => {
      const vs = new Client(${JSON.stringify(KEY)}, { baseUrl: ${JSON.stringify(url)} })
        .identity.verificationSessions;
      const s = await vs.create({ type: 'document' });
      for (let i = 0; i < ${calls}; i++) await vs.retrieve(s.id);
      console.log(fs.readdirSync('/proc/self/task').length);
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env } });
  return Number(out.toString().trim());
}

describe('calls on the event loop', () => {
  test(
    'calls awaited one at a time start no thread of the pool',
    { skip: process.platform !== 'linux' },
    async () => {
      const mock = await startMock();
      try {
        const onLoop = threadsAfterCalls(mock.url, 20, {});
        const onPool = threadsAfterCalls(mock.url, 20, { STRIPE_IDENTITY_NODE_IO: 'pool' });
        // libuv starts its pool's threads (4 unless UV_THREADPOOL_SIZE says otherwise) on first use.
        assert.ok(onLoop < onPool, `threads: ${onLoop} on the loop, ${onPool} with the pool`);
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

  test('a worker thread ended while its call waits: no handle is left open, the process goes on', () => {
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
          vs.retrieve('vs_never');
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
