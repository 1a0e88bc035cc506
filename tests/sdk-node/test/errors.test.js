'use strict';
// stripe-node 23.1.0 against identity-mock: the SDK's own error classes for every refusal,
// and idempotent replay.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { startMock, control, Stripe, needs } = require('./mock');

let mock;
let stripe;
let vs;
before(async () => {
  mock = await startMock();
  stripe = mock.stripe();
  vs = stripe.identity.verificationSessions;
});
after(async () => {
  await mock.stop();
});

test('a missing id is StripeInvalidRequestError 404', async () => {
  await assert.rejects(vs.retrieve('vs_doesnotexist'), (err) => {
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.type, 'StripeInvalidRequestError');
    assert.equal(err.rawType, 'invalid_request_error');
    assert.equal(err.statusCode, 404);
    assert.equal(err.code, 'resource_missing');
    assert.match(err.message, /No such verification_session: 'vs_doesnotexist'/);
    assert.match(err.requestId, /^req_/);
    return true;
  });
  for (const op of ['update', 'cancel', 'redact']) {
    await assert.rejects(vs[op]('vs_doesnotexist'), (err) => err.statusCode === 404);
  }
});

test('bad parameters', async () => {
  const invalid = (param, code) => (err) => {
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError, err.message);
    assert.equal(err.statusCode, 400);
    assert.equal(err.param, param);
    if (code !== undefined) assert.equal(err.code, code);
    return true;
  };
  await assert.rejects(vs.create({ type: 'passport' }), invalid('type'));
  await assert.rejects(vs.create({ metadata: { a: 'b' } }), invalid('type', 'parameter_missing'));
  await assert.rejects(
    vs.create({ type: 'document', colour: 'blue' }),
    invalid('colour', 'parameter_unknown'),
  );
  await assert.rejects(vs.list({ limit: 101 }), invalid('limit', 'parameter_invalid_integer'));
  await assert.rejects(
    vs.create({ type: 'document', metadata: { ['k'.repeat(41)]: 'v' } }),
    invalid('metadata'),
  );
});

test('wrong states', async () => {
  const s = await vs.create({ type: 'document' });
  await control(stripe, s.id, 'submit');
  const unexpected = (err) => {
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'verification_session_unexpected_state');
    return true;
  };
  await assert.rejects(vs.cancel(s.id), unexpected);
  await assert.rejects(vs.update(s.id, { metadata: { a: 'b' } }), unexpected);
  await assert.rejects(vs.redact(s.id), unexpected);
  await assert.rejects(control(stripe, s.id, 'submit'), unexpected);
  await assert.rejects(control(stripe, s.id, 'complete_redaction'), unexpected);
  await control(stripe, s.id, 'verify');
  await assert.rejects(vs.cancel(s.id), unexpected);
  await assert.rejects(control(stripe, s.id, 'fail', { code: 'document_expired' }), unexpected);
  await assert.rejects(control(stripe, s.id, 'fail', { code: 'not_a_code' }), (err) => err.param === 'code');
});

test('bad keys are StripeAuthenticationError', { skip: needs('server') }, async () => {
  await assert.rejects(mock.stripe('sk_test_bad-key-abcd').identity.verificationSessions.list(), (err) => {
    assert.ok(err instanceof Stripe.errors.StripeAuthenticationError);
    assert.equal(err.statusCode, 401);
    assert.equal(err.message, 'Invalid API Key provided: sk_test_****abcd');
    return true;
  });
  await assert.rejects(
    mock.stripe('pk_test_abcdef').identity.verificationSessions.create({ type: 'document' }),
    (err) => {
      assert.ok(err instanceof Stripe.errors.StripeAuthenticationError);
      assert.equal(err.code, 'secret_key_required');
      return true;
    },
  );
});

test('an unknown URL through rawRequest', async () => {
  await assert.rejects(stripe.rawRequest('GET', '/v1/identity/verification_sessions_typo'), (err) => {
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.statusCode, 404);
    assert.match(
      err.message,
      /^Unrecognized request URL \(GET: \/v1\/identity\/verification_sessions_typo\)/,
    );
    return true;
  });
});

test('idempotent replay and key reuse', async () => {
  const key = `order-${randomUUID()}`;
  const params = { type: 'document', metadata: { order: '42' } };
  const first = await vs.create(params, { idempotencyKey: key });
  const again = await vs.create(params, { idempotencyKey: key });
  assert.equal(again.id, first.id);
  assert.equal(again.client_secret, first.client_secret);
  assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
  assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
  assert.equal(again.lastResponse.idempotencyKey, key);

  await assert.rejects(vs.create({ type: 'id_number' }, { idempotencyKey: key }), (err) => {
    assert.ok(err instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(err.statusCode, 400);
    assert.ok(err.message.includes(key));
    return true;
  });

  // A refusal by state is stored under its key and replayed too.
  await control(stripe, first.id, 'submit');
  const cancelKey = `cancel-${randomUUID()}`;
  await assert.rejects(vs.cancel(first.id, {}, { idempotencyKey: cancelKey }));
  await control(stripe, first.id, 'fail', { code: 'document_expired' });
  await assert.rejects(vs.cancel(first.id, {}, { idempotencyKey: cancelKey }));
  assert.equal((await vs.cancel(first.id)).status, 'canceled');
});
