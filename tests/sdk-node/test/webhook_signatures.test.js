'use strict';
// stripe-node 23.1.0 and this library, on webhook signatures and events:
// - stripe-node's webhooks.constructEvent accepts headers this library signs (the Rust core,
//   through target/debug/examples/webhook_interop, which every binding calls) and rejects
//   tampered ones;
// - this library accepts headers stripe-node's generateTestHeaderString makes: the Rust core
//   here, and the Node binding when its suite has built the addon;
// - stripe.events.list({ type }) answers the right events from identity-mock.

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startMock, control, Stripe } = require('./mock');

const REPO = path.resolve(__dirname, '..', '..', '..');
const INTEROP =
  process.env.WEBHOOK_INTEROP || path.join(REPO, 'target', 'debug', 'examples', 'webhook_interop');
const SECRET = 'whsec_peer_node';
const VERIFIED = 'identity.verification_session.verified';
const offline = new Stripe('sk_test_offline');

function oursSign(payload, timestamp) {
  return execFileSync(INTEROP, ['sign', SECRET, String(timestamp)], { input: payload })
    .toString()
    .trim();
}

// '' when this library (Rust core) accepts the header, else its error message.
function oursVerify(payload, header) {
  const out = spawnSync(INTEROP, ['verify', SECRET, header, '300'], { input: payload });
  assert.ok(out.status === 0 || out.status === 1, String(out.stderr));
  return out.status === 0 ? '' : out.stdout.toString().trim();
}

let mock;
let stripe;
beforeEach(async () => {
  mock = await startMock();
  stripe = mock.stripe();
});
afterEach(async () => {
  await mock.stop();
});

async function lifecyclePayloads() {
  const s = await stripe.identity.verificationSessions.create({ type: 'document' });
  await control(stripe, s.id, 'submit');
  await control(stripe, s.id, 'verify');
  const page = await stripe.events.list({ limit: 3 });
  return page.data.map((e) => JSON.stringify(e));
}

test('events.list({ type }) answers the right events', async () => {
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const s = await stripe.identity.verificationSessions.create({ type: 'document' });
    await control(stripe, s.id, 'submit');
    await control(stripe, s.id, 'verify');
    ids.push(s.id);
  }
  const s = await stripe.identity.verificationSessions.create({ type: 'document' });
  await control(stripe, s.id, 'submit');
  const page = await stripe.events.list({ type: VERIFIED });
  assert.deepEqual(
    page.data.map((e) => e.type),
    [VERIFIED, VERIFIED],
  );
  assert.deepEqual(
    page.data.map((e) => e.data.object.id),
    ids.reverse(),
  );
  const one = await stripe.events.retrieve(page.data[0].id);
  assert.equal(one.type, VERIFIED);
  const every = await stripe.events.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
  assert.equal(every.length, 8);
});

test("stripe-node's constructEvent accepts what this library signs, and rejects tampering", async () => {
  const now = Math.floor(Date.now() / 1000);
  for (const payload of await lifecyclePayloads()) {
    const header = oursSign(payload, now);
    const event = offline.webhooks.constructEvent(payload, header, SECRET);
    assert.match(event.type, /^identity\.verification_session\./);
    assert.throws(() => offline.webhooks.constructEvent(payload.replace('}', ' }'), header, SECRET), {
      type: 'StripeSignatureVerificationError',
    });
    assert.throws(() => offline.webhooks.constructEvent(payload, header, 'whsec_other'), {
      type: 'StripeSignatureVerificationError',
    });
    assert.throws(() => offline.webhooks.constructEvent(payload, oursSign(payload, now - 301), SECRET), {
      type: 'StripeSignatureVerificationError',
    });
  }
});

test("this library accepts what stripe-node's generateTestHeaderString makes", async () => {
  const now = Math.floor(Date.now() / 1000);
  for (const payload of await lifecyclePayloads()) {
    const header = offline.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    assert.equal(oursVerify(payload, header), '');
    assert.match(oursVerify(payload + ' ', header), /^No signatures found matching/);
    const old = offline.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: now - 301 });
    assert.match(oursVerify(payload, old), /^Timestamp outside the tolerance zone/);
  }
});

// Whether bindings-node/scripts/test.sh has built the addon (`make test` runs it before the
// peers). Decided before the test is declared: a test skipped from inside would still start
// (and, with node 20's runner, never stop) the mock of the hooks.
const ADDON_BUILT = fs
  .readdirSync(path.join(REPO, 'bindings-node'))
  .some((f) => /^stripe-identity\..*\.node$/.test(f));

test(
  "the Node binding accepts what stripe-node's generateTestHeaderString makes",
  { skip: !ADDON_BUILT && 'the Node addon is not built here (bash bindings-node/scripts/test.sh builds it)' },
  async () => {
    const ours = require(path.join(REPO, 'bindings-node'));
    const [payload] = await lifecyclePayloads();
    const header = offline.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const event = ours.webhooks.constructEvent(Buffer.from(payload), header, SECRET);
    assert.equal(event.data.object.object, 'identity.verification_session');
    assert.throws(
      () => ours.webhooks.constructEvent('{}', header, SECRET),
      ours.StripeSignatureVerificationError,
    );
    // And stripe-node accepts what the Node binding signs.
    const signed = ours.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    assert.equal(offline.webhooks.constructEvent(payload, signed, SECRET).id, JSON.parse(payload).id);
  },
);
