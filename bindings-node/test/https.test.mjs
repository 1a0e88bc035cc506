// HTTPS against identity-mock with a throwaway CA: the `ca` option (a string or a Buffer) makes
// it trusted; without it the call fails at once with StripeConnectionError naming the
// certificate problem; HTTPS_PROXY goes through a CONNECT proxy and NO_PROXY bypasses it.
// Counts only, no timing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, StripeConnectionError } from 'stripe-identity';
import { KEY, makeTestCerts, startMock } from './support.mjs';

const certs = makeTestCerts();
const caPem = fs.readFileSync(path.join(certs, 'ca.pem'));
const tlsArgs = (name) => [
  '--tls-cert',
  path.join(certs, `${name}.pem`),
  '--tls-key',
  path.join(certs, `${name}-key.pem`),
];

test('a whole lifecycle over HTTPS with the ca option, as a Buffer and as a string', async () => {
  const mock = await startMock(...tlsArgs('server'));
  try {
    assert.match(mock.url, /^https:\/\//);
    for (const ca of [caPem, caPem.toString('utf8')]) {
      const client = new Client(KEY, { baseUrl: mock.url, ca });
      const sessions = client.identity.verificationSessions;
      const helpers = client.testHelpers.identity.verificationSessions;
      const s = await sessions.create({ type: 'document', metadata: { order: '42' } });
      assert.equal(s.status, 'requires_input');
      assert.equal((await sessions.update(s.id, { metadata: { order: '43' } })).metadata.order, '43');
      await helpers.submit(s.id);
      await helpers.fail(s.id, { code: 'document_expired' });
      await helpers.submit(s.id);
      assert.equal((await helpers.verify(s.id)).status, 'verified');
      await sessions.redact(s.id);
      assert.equal((await helpers.completeRedaction(s.id)).redaction.status, 'redacted');
      assert.ok((await sessions.list({ limit: 10 })).data.some((x) => x.id === s.id));
      const other = await sessions.create({ type: 'id_number' });
      assert.equal((await sessions.cancel(other.id)).status, 'canceled');
      assert.equal((await sessions.retrieve(s.id)).status, 'verified');
    }
  } finally {
    await mock.stop();
  }
});

test('without the CA the call fails at once and says why; a wrong name is refused', async () => {
  const mock = await startMock(...tlsArgs('server'));
  const other = await startMock(...tlsArgs('other'));
  try {
    const untrusted = new Client(KEY, { baseUrl: mock.url, maxNetworkRetries: 2 });
    await assert.rejects(untrusted.identity.verificationSessions.list(), (e) => {
      assert.ok(e instanceof StripeConnectionError, String(e));
      assert.match(e.message, /certificate.*UnknownIssuer/);
      assert.match(e.message, /1 attempt made/);
      return true;
    });
    const wrongName = new Client(KEY, { baseUrl: other.url, ca: caPem });
    await assert.rejects(wrongName.identity.verificationSessions.list(), (e) => {
      assert.ok(e instanceof StripeConnectionError, String(e));
      assert.match(e.message, /certificate not valid for name/);
      assert.match(e.message, /1 attempt made/);
      return true;
    });
  } finally {
    await mock.stop();
    await other.stop();
  }
});

test('a ca that is not PEM is a RangeError naming ca; one of the wrong type a TypeError', () => {
  assert.throws(
    () => new Client(KEY, { ca: 'not a certificate' }),
    (e) => {
      assert.ok(e instanceof RangeError, String(e));
      assert.equal(e.param, 'ca');
      assert.match(e.message, /holds no certificate/);
      return true;
    },
  );
  assert.throws(() => new Client(KEY, { ca: 42 }), TypeError);
});

/** An HTTP CONNECT proxy on loopback that tunnels every CONNECT to `port` (it is the proxy that
 * resolves names) and records what it was asked for. */
async function connectProxy(port) {
  const asked = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const [method, target] = head.subarray(0, end).toString('latin1').split(' ');
      if (method !== 'CONNECT') {
        client.destroy();
        return;
      }
      asked.push(target);
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.write(head.subarray(end + 4));
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    asked,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('HTTPS_PROXY is used and NO_PROXY bypasses it', async () => {
  // Loopback URLs never use a proxy (no proxy could reach them), so the client is given a name
  // only the proxy resolves (other.invalid, which other.pem is made for): a call that succeeds
  // went through the proxy, with the certificate checked end to end.
  const mock = await startMock(...tlsArgs('other'));
  const proxy = await connectProxy(mock.port);
  const saved = {};
  for (const name of [
    'ALL_PROXY',
    'all_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'HTTPS_PROXY',
    'https_proxy',
    'NO_PROXY',
    'no_proxy',
  ]) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  try {
    const url = `https://other.invalid:${mock.port}`;
    process.env.HTTPS_PROXY = proxy.url;
    const client = new Client(KEY, { baseUrl: url, ca: caPem });
    const s = await client.identity.verificationSessions.create({ type: 'document' });
    assert.equal((await client.identity.verificationSessions.retrieve(s.id)).id, s.id);
    await client.testHelpers.identity.verificationSessions.submit(s.id);
    assert.deepEqual(proxy.asked, [`other.invalid:${mock.port}`], 'one tunnel, kept alive');

    process.env.NO_PROXY = 'localhost,other.invalid';
    const direct = new Client(KEY, { baseUrl: url, ca: caPem, maxNetworkRetries: 0 });
    await assert.rejects(direct.identity.verificationSessions.list(), (e) => {
      assert.ok(e instanceof StripeConnectionError, String(e));
      // Direct, the name does not resolve.
      assert.match(e.message, /lookup address/);
      return true;
    });
    assert.equal(proxy.asked.length, 1, 'NO_PROXY: the proxy saw nothing more');
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await proxy.close();
    await mock.stop();
  }
});
