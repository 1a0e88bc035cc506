'use strict';
// stripe-node 23.1.0 against identity-mock over HTTPS, trusting a throwaway CA through
// NODE_EXTRA_CA_CERTS (tests/peers/node-sdk.sh sets it, and SDK_TEST_CERTS, the folder of
// server/examples/test_certs.rs). Without the variable, Node refuses the certificate.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { startMock, control } = require('./mock');

const CERTS = process.env.SDK_TEST_CERTS;
let mock;
before(async () => {
  assert.ok(CERTS && process.env.NODE_EXTRA_CA_CERTS, 'run through tests/peers/node-sdk.sh');
  mock = await startMock(
    '--tls-cert',
    path.join(CERTS, 'server.pem'),
    '--tls-key',
    path.join(CERTS, 'server-key.pem'),
  );
});
after(async () => {
  assert.equal(await mock.stop(), 0, 'identity-mock stops cleanly on SIGTERM');
});

test('a whole lifecycle over HTTPS', async () => {
  assert.match(mock.url, /^https:\/\//);
  const stripe = mock.stripe();
  const vs = stripe.identity.verificationSessions;
  const s = await vs.create({ type: 'document', metadata: { order: '42' } });
  assert.equal(s.status, 'requires_input');
  assert.equal((await vs.update(s.id, { metadata: { order: '43' } })).metadata.order, '43');
  await control(stripe, s.id, 'submit');
  assert.equal((await control(stripe, s.id, 'verify')).status, 'verified');
  await vs.redact(s.id);
  assert.equal((await control(stripe, s.id, 'complete_redaction')).redaction.status, 'redacted');
  assert.ok((await vs.list({ limit: 10 })).data.some((x) => x.id === s.id));
  const other = await vs.create({ type: 'id_number' });
  assert.equal((await vs.cancel(other.id)).status, 'canceled');
  assert.equal((await vs.retrieve(s.id)).status, 'verified');
});

test('without NODE_EXTRA_CA_CERTS the certificate is refused', () => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const script = `
    const Stripe = require('stripe');
    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: ${mock.port}, protocol: 'https', maxNetworkRetries: 0 });
    stripe.identity.verificationSessions.list().then(
      () => { console.log('accepted'); },
      (e) => { console.log(e.type + ': ' + e.message); });`;
  const run = spawnSync(process.execPath, ['-e', script], {
    env,
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^StripeConnectionError: .*/);
});
