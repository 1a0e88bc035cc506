'use strict';
// stripe-node 23.1.0 receivers of identity-mock's webhooks: an endpoint registered with
// stripe.webhookEndpoints.create, every delivery verified with stripe.webhooks.constructEvent,
// a failed first delivery retried, and a run where the receiver fails deliveries at random.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startMock, control, needs } = require('./mock');

const LIFECYCLE = [
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.requires_input',
  'identity.verification_session.processing',
  'identity.verification_session.verified',
  'identity.verification_session.redacted',
];

/** A receiver on a free loopback port; `fail(n)` says whether to answer the n-th delivery 500. */
async function startReceiver(stripe, fail) {
  const r = {
    secret: null,
    deliveries: 0,
    failed: new Set(),
    refused: 0,
    acked: new Map(),
    events: new Map(),
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const n = r.deliveries++;
      let event;
      try {
        event = stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          req.headers['stripe-signature'],
          r.secret,
        );
      } catch (e) {
        r.refused++;
        res.writeHead(400).end(String(e.message));
        return;
      }
      if (fail(n)) {
        r.failed.add(event.id);
        res.writeHead(500).end();
        return;
      }
      r.acked.set(event.id, (r.acked.get(event.id) || 0) + 1);
      r.events.set(event.id, event);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${server.address().port}/webhook`;
  r.close = () => new Promise((resolve) => server.close(resolve));
  return r;
}

async function lifecycle(stripe) {
  const s = await stripe.identity.verificationSessions.create({ type: 'document' });
  await control(stripe, s.id, 'submit');
  await control(stripe, s.id, 'fail', { code: 'document_expired' });
  await control(stripe, s.id, 'submit');
  await control(stripe, s.id, 'verify');
  await stripe.identity.verificationSessions.redact(s.id);
  await control(stripe, s.id, 'complete_redaction');
  return s.id;
}

/** Polls until `done()` holds (at most 30 s). */
async function until(done) {
  for (let i = 0; i < 3000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  return done();
}

test(
  'a stripe-node receiver gets every event of a lifecycle, verified, after failing the first',
  { skip: needs('server') },
  async () => {
    const mock = await startMock('--webhook-retry-ms', '20', '--webhook-max-attempts', '10');
    const stripe = mock.stripe();
    const receiver = await startReceiver(stripe, (n) => n === 0);
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
      assert.match(endpoint.id, /^we_/);
      assert.match(endpoint.secret, /^whsec_/);
      receiver.secret = endpoint.secret;
      assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret, undefined);

      const id = await lifecycle(stripe);
      assert.ok(await until(() => receiver.events.size === LIFECYCLE.length), `got ${receiver.events.size}`);
      const events = [...receiver.events.values()].sort((a, b) => a.created - b.created);
      assert.deepEqual(events.map((e) => e.type).sort(), [...LIFECYCLE].sort());
      for (const e of events) assert.equal(e.data.object.id, id);
      assert.equal(receiver.refused, 0, 'every delivery verified');
      assert.equal(receiver.failed.size, 1, 'the first delivery was answered 500');
      const [first] = receiver.failed;
      assert.ok(receiver.events.has(first), 'and redelivered');
      assert.ok(
        [...receiver.acked.values()].every((n) => n === 1),
        'no acknowledged event came twice',
      );
      console.log(
        `webhooks (stripe-node): ${receiver.events.size} events delivered, ${receiver.deliveries} deliveries, ` +
          `${receiver.deliveries - receiver.events.size} retries, 0 lost, 0 duplicates`,
      );
      const deleted = await stripe.webhookEndpoints.del(endpoint.id);
      assert.deepEqual({ ...deleted }, { id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    } finally {
      await receiver.close();
      assert.equal(await mock.stop(), 0);
    }
  },
);

test('a receiver failing 30% of deliveries at random loses no event', { skip: needs('server') }, async () => {
  const mock = await startMock('--webhook-retry-ms', '10', '--webhook-max-attempts', '30');
  const stripe = mock.stripe();
  const receiver = await startReceiver(stripe, () => Math.random() < 0.3);
  const runs = 10;
  try {
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    receiver.secret = endpoint.secret;
    for (let i = 0; i < runs; i++) await lifecycle(stripe);
    const want = runs * LIFECYCLE.length;
    assert.ok(await until(() => receiver.events.size === want), `got ${receiver.events.size} of ${want}`);
    assert.equal(receiver.refused, 0);
    const duplicates = [...receiver.acked.values()].filter((n) => n > 1).length;
    assert.equal(duplicates, 0, 'only failed deliveries come again');
    // Every delivery beyond one per event is the redelivery of one answered 500.
    assert.ok(receiver.deliveries - want > 0, 'faults were injected');
    console.log(
      `webhooks under faults (stripe-node): ${want} events, ${receiver.deliveries} deliveries, ` +
        `${receiver.deliveries - want} redeliveries of ${receiver.failed.size} failed events, 0 lost, ${duplicates} duplicates`,
    );
  } finally {
    await receiver.close();
    assert.equal(await mock.stop(), 0);
  }
});
