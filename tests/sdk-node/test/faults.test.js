'use strict';
// stripe-node 23.1.0 retries through identity-mock's injected faults; idempotency keys keep
// every create single (a request dropped after acting replays instead of creating twice).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startMock, Stripe, needs } = require('./mock');

test('retries with the same key create each session once', { skip: needs('server') }, async () => {
  const mock = await startMock('--fault-rate', '0.3', '--fault-seed', '99');
  try {
    const vs = mock.stripe(undefined, { maxNetworkRetries: 10 }).identity.verificationSessions;
    const created = [];
    for (let i = 0; i < 25; i++)
      created.push(await vs.create({ type: 'document', metadata: { n: String(i) } }));
    assert.equal(new Set(created.map((s) => s.id)).size, 25);
    const listed = await vs.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    assert.deepEqual(listed.map((s) => s.metadata.n).sort(), created.map((_, i) => String(i)).sort());
  } finally {
    await mock.stop();
  }
});

test('without retries the faults surface as SDK errors', { skip: needs('server') }, async () => {
  const cases = [
    ['500', Stripe.errors.StripeAPIError],
    ['503', Stripe.errors.StripeAPIError],
    ['429', Stripe.errors.StripeRateLimitError],
    ['drop_before', Stripe.errors.StripeConnectionError],
    ['drop_after', Stripe.errors.StripeConnectionError],
  ];
  for (const [kind, cls] of cases) {
    const mock = await startMock('--fault-rate', '1', '--faults', kind);
    try {
      const vs = mock.stripe(undefined, { maxNetworkRetries: 0 }).identity.verificationSessions;
      await assert.rejects(vs.list(), (err) => {
        assert.ok(err instanceof cls, `${kind}: ${err.constructor.name}`);
        if (kind === '429') assert.equal(err.code, 'lock_timeout');
        return true;
      });
    } finally {
      await mock.stop();
    }
  }
});
