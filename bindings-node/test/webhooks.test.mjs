// webhooks.constructEvent and webhooks.generateTestHeaderString: a signed event verifies;
// every bad input throws StripeSignatureVerificationError (with header and payload).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StripeSignatureVerificationError, webhooks } from 'stripe-identity';

const SECRET = 'whsec_node_test';

async function payload() {
  const client = Client.local();
  const s = await client.identity.verificationSessions.create({ type: 'document' });
  await client.testHelpers.identity.verificationSessions.submit(s.id);
  return JSON.stringify((await client.events.list()).data[0], null, 2);
}

function refused(fn) {
  let caught = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof StripeSignatureVerificationError, `expected a signature error, got ${caught}`);
  assert.equal(caught.type, 'StripeSignatureVerificationError');
  return caught;
}

describe('webhooks', () => {
  test('a signed event verifies from a string or a Buffer, on the export and on a client', async () => {
    const body = await payload();
    const header = webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    for (const given of [body, Buffer.from(body), new Uint8Array(Buffer.from(body))]) {
      const event = webhooks.constructEvent(given, header, SECRET);
      assert.equal(event.type, 'identity.verification_session.processing');
      assert.equal(event.data.object.status, 'processing');
    }
    assert.equal(Client.local().webhooks, webhooks);
    assert.equal(webhooks.signature.verifyHeader(body, header, SECRET), true);
    const fixed = webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: 1700000000 });
    assert.ok(fixed.startsWith('t=1700000000,v1='));
  });

  test('bad input throws StripeSignatureVerificationError with header and payload', async () => {
    const body = await payload();
    const now = Math.floor(Date.now() / 1000);
    const header = webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now });
    const garbled = refused(() => webhooks.constructEvent(body, 'garbage', SECRET));
    assert.equal(garbled.message, 'Unable to extract timestamp and signatures from header');
    assert.equal(garbled.header, 'garbage');
    assert.equal(garbled.payload, body);
    assert.match(
      refused(() => webhooks.constructEvent(body, undefined, SECRET)).message,
      /No Stripe-Signature header/,
    );
    const mismatch = 'No signatures found matching the expected signature for payload';
    assert.equal(refused(() => webhooks.constructEvent(body, header, 'whsec_wrong')).message, mismatch);
    const changed = Buffer.from(body);
    changed[changed.length - 2] ^= 1;
    assert.equal(refused(() => webhooks.constructEvent(changed, header, SECRET)).message, mismatch);
    const old = webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now - 301 });
    assert.equal(
      refused(() => webhooks.constructEvent(body, old, SECRET)).message,
      `Timestamp outside the tolerance zone (${now - 301})`,
    );
    assert.ok(webhooks.constructEvent(body, old, SECRET, 0).id);
    const future = webhooks.generateTestHeaderString({
      payload: body,
      secret: SECRET,
      timestamp: now + 3600,
    });
    assert.ok(webhooks.constructEvent(body, future, SECRET).id);
    assert.equal(
      refused(() => webhooks.constructEvent(body, `t=${now},` + 'v1=ab,'.repeat(200000), SECRET)).message,
      mismatch,
    );
    assert.ok(webhooks.constructEvent(body, header + ',' + 'v0='.repeat(400000), SECRET).id);
    assert.equal(
      refused(() => webhooks.constructEvent(body + ' '.repeat(2 << 20), header, SECRET)).message,
      mismatch,
    );
    assert.match(
      refused(() => webhooks.constructEvent(body, Buffer.from([0x74, 0x3d, 0xff]), SECRET)).message,
      /UTF-8/,
    );
    const bad = Buffer.concat([Buffer.from(body), Buffer.from([0xff])]);
    const badHeader = webhooks.generateTestHeaderString({ payload: bad, secret: SECRET });
    assert.match(refused(() => webhooks.constructEvent(bad, badHeader, SECRET)).message, /UTF-8/);
    refused(() => webhooks.constructEvent(body, [header, header], SECRET));
  });

  test('arguments of the wrong type are TypeErrors; bad values, and a verified body that is not an event, RangeErrors', () => {
    assert.throws(() => webhooks.constructEvent(42, 't=1,v1=x', SECRET), TypeError);
    assert.throws(() => webhooks.constructEvent('{}', 't=1,v1=x', 42), TypeError);
    assert.throws(
      () => webhooks.generateTestHeaderString({ payload: '{}', secret: SECRET, timestamp: -1 }),
      RangeError,
    );
    const body = 'not json';
    const header = webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    assert.throws(() => webhooks.constructEvent(body, header, SECRET), RangeError);
  });
});

// The C suite's payload, and the header stripe-python 16.1.0 made for it (the format of
// stripe-node's generateTestHeaderString too; tests/sdk-node checks stripe-node live).
const PEER_PAYLOAD =
  '{"id":"evt_1","object":"event","api_version":null,"created":1,"livemode":false,' +
  '"pending_webhooks":0,"request":{"id":null,"idempotency_key":null},' +
  '"type":"identity.verification_session.verified","data":{"object":{"id":"vs_1",' +
  '"object":"identity.verification_session","status":"verified"}}}';
const PEER_HEADER = 't=1700000000,v1=82a4169aaa434375e282efe36a9fcba9e553347752aac91c68e30acc4d934f92';

test('a header made by an official SDK verifies', () => {
  assert.equal(
    webhooks.constructEvent(PEER_PAYLOAD, PEER_HEADER, 'whsec_interop_fixture', 0).data.object.status,
    'verified',
  );
  assert.equal(
    webhooks.generateTestHeaderString({
      payload: PEER_PAYLOAD,
      secret: 'whsec_interop_fixture',
      timestamp: 1700000000,
    }),
    PEER_HEADER,
  );
  refused(() => webhooks.constructEvent(PEER_PAYLOAD, PEER_HEADER, 'whsec_interop_fixture'));
});
