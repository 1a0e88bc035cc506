'use strict';
// stripe-node 23.1.0 against identity-mock: a VerificationSession from creation to redaction.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startMock, control, TARGET } = require('./mock');

const LOCAL = TARGET === 'ours-local';

let mock;
let stripe;
before(async () => {
  mock = await startMock();
  stripe = mock.stripe();
});
after(async () => {
  assert.equal(await mock.stop(), 0, 'identity-mock stops cleanly on SIGTERM');
});

test('create with options, metadata and provided details', async () => {
  const vs = stripe.identity.verificationSessions;
  const s = await vs.create({
    type: 'document',
    client_reference_id: 'user_42',
    metadata: { order: '42', note: 'two words & more' },
    options: {
      document: {
        allowed_types: ['passport', 'id_card'],
        require_id_number: true,
        require_live_capture: true,
        require_matching_selfie: true,
      },
    },
    provided_details: { email: 'jenny@example.com', phone: '+15555550100' },
    related_customer: 'cus_Nv4FbEjZG6sQLB',
    return_url: 'https://example.com/return',
  });
  assert.match(s.id, /^vs_/);
  assert.equal(s.object, 'identity.verification_session');
  assert.equal(s.status, 'requires_input');
  assert.equal(s.type, 'document');
  assert.equal(s.livemode, false);
  assert.equal(s.client_reference_id, 'user_42');
  assert.deepEqual(s.metadata, { order: '42', note: 'two words & more' });
  assert.deepEqual(s.options.document.allowed_types, ['passport', 'id_card']);
  assert.equal(s.options.document.require_matching_selfie, true);
  assert.equal(s.related_customer, 'cus_Nv4FbEjZG6sQLB');
  assert.ok(s.client_secret);
  // identity-mock serves the hosted page itself; the embedded simulator keeps Stripe's host.
  const hosted = LOCAL ? 'https://verify.stripe.com' : mock.url;
  assert.ok(s.url.startsWith(`${hosted}/start/test_`), s.url);
  assert.equal(s.last_error, null);
  assert.equal(s.redaction, null);
  assert.equal(s.lastResponse.statusCode, 200);
  assert.match(s.lastResponse.requestId, /^req_/);

  const got = await vs.retrieve(s.id, { expand: ['provided_details'] });
  assert.deepEqual(got.provided_details, { email: 'jenny@example.com', phone: '+15555550100' });
});

test('update sets and unsets metadata and options', async () => {
  const vs = stripe.identity.verificationSessions;
  let s = await vs.create({ type: 'document', metadata: { a: '1', b: '2', c: '3' } });
  s = await vs.update(s.id, { metadata: { a: '', d: '4' }, type: 'id_number' });
  assert.deepEqual(s.metadata, { b: '2', c: '3', d: '4' });
  assert.equal(s.type, 'id_number');
  // stripe-node sends null as an empty value, which unsets.
  s = await vs.update(s.id, { metadata: { b: null } });
  assert.deepEqual(s.metadata, { c: '3', d: '4' });
  s = await vs.update(s.id, { metadata: '' });
  assert.deepEqual(s.metadata, {});
  s = await vs.update(s.id, { type: 'document', options: { document: { require_id_number: true } } });
  assert.equal(s.options.document.require_id_number, true);
  s = await vs.update(s.id, { options: { document: '' } });
  assert.equal(s.options.document, undefined);
});

test('the whole lifecycle with the controls', async () => {
  const vs = stripe.identity.verificationSessions;
  let s = await vs.create({ type: 'document', metadata: { order: '7' } });

  s = await control(stripe, s.id, 'submit');
  assert.equal(s.status, 'processing');
  s = await control(stripe, s.id, 'fail', { code: 'document_expired', reason: 'The document is expired.' });
  assert.equal(s.status, 'requires_input');
  assert.deepEqual(s.last_error, { code: 'document_expired', reason: 'The document is expired.' });
  const again = await vs.retrieve(s.id);
  assert.ok(again.client_secret && again.url);

  await control(stripe, s.id, 'submit');
  s = await control(stripe, s.id, 'verify');
  assert.equal(s.status, 'verified');
  assert.match(s.last_verification_report, /^vr_/);

  const full = await vs.retrieve(s.id, { expand: ['verified_outputs', 'last_verification_report'] });
  assert.ok(full.verified_outputs.first_name);
  assert.equal(full.last_verification_report.object, 'identity.verification_report');
  assert.equal(full.last_verification_report.id, s.last_verification_report);
  assert.equal(full.last_verification_report.verification_session, s.id);

  s = await vs.redact(s.id);
  assert.equal(s.redaction.status, 'processing');
  assert.deepEqual(s.metadata, {});
  s = await control(stripe, s.id, 'complete_redaction');
  assert.equal(s.redaction.status, 'redacted');
  assert.equal((await vs.retrieve(s.id)).redaction.status, 'redacted');
});

test('cancel', async () => {
  const vs = stripe.identity.verificationSessions;
  let s = await vs.create({ type: 'id_number' });
  s = await vs.cancel(s.id);
  assert.equal(s.status, 'canceled');
  assert.equal(s.client_secret, null);
  assert.equal(s.url, null);
  assert.equal((await vs.retrieve(s.id)).status, 'canceled');
});

test('redact a session awaiting input cancels it', async () => {
  const vs = stripe.identity.verificationSessions;
  let s = await vs.create({ type: 'document', metadata: { k: 'v' } });
  s = await vs.redact(s.id);
  assert.equal(s.status, 'canceled');
  assert.equal(s.redaction.status, 'processing');
  assert.deepEqual(s.metadata, {});
});
