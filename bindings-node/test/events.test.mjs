// Events on both backends, each test on a fresh simulator: list (newest first, type and types
// filters), retrieve, auto-paging; and client.onEvent on a local client.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StripeInvalidRequestError } from 'stripe-identity';
import { KEY, startMock } from './support.mjs';

let mock = null;
afterEach(async () => {
  await mock?.stop();
  mock = null;
});

const backends = {
  'Client.local()': async () => Client.local(),
  'identity-mock over HTTP': async () => {
    mock = await startMock();
    return new Client(KEY, { baseUrl: mock.url, maxNetworkRetries: 0 });
  },
};

const VERIFIED = 'identity.verification_session.verified';

async function lifecycle(client) {
  const s = await client.identity.verificationSessions.create({ type: 'document' });
  const helpers = client.testHelpers.identity.verificationSessions;
  await helpers.submit(s.id);
  await helpers.fail(s.id, { code: 'document_expired' });
  await helpers.submit(s.id);
  await helpers.verify(s.id);
  return s.id;
}

const suffix = (e) => e.type.split('.').pop();

for (const [name, make] of Object.entries(backends)) {
  describe(`events on ${name}`, () => {
    test('list is newest first, filters by type and types, and retrieve agrees', async () => {
      const client = await make();
      const id = await lifecycle(client);
      const page = await client.events.list();
      assert.deepEqual(page.data.map(suffix), [
        'verified',
        'processing',
        'requires_input',
        'processing',
        'created',
      ]);
      assert.equal(page.url, '/v1/events');
      const verified = await client.events.list({ type: VERIFIED });
      assert.deepEqual(verified.data.map(suffix), ['verified']);
      assert.equal(verified.data[0].data.object.id, id);
      assert.equal(verified.data[0].data.object.status, 'verified');
      assert.equal('previous_attributes' in verified.data[0].data, false);
      const two = await client.events.list({ types: [VERIFIED, 'identity.verification_session.created'] });
      assert.deepEqual(two.data.map(suffix), ['verified', 'created']);
      assert.deepEqual(await client.events.retrieve(verified.data[0].id), verified.data[0]);
      await assert.rejects(client.events.retrieve('evt_missing'), (e) => {
        assert.ok(e instanceof StripeInvalidRequestError);
        assert.equal(e.statusCode, 404);
        assert.equal(e.param, 'id');
        return true;
      });
    });

    test('listAutoPaging walks every event once', async () => {
      const client = await make();
      await lifecycle(client);
      await lifecycle(client);
      const ids = [];
      for await (const e of client.events.listAutoPaging({ limit: 3 })) ids.push(e.id);
      assert.equal(ids.length, 10);
      assert.equal(new Set(ids).size, 10);
    });
  });
}

describe('client.onEvent', () => {
  test('a local client hands each new event to the handler on the JavaScript thread', async () => {
    const client = Client.local();
    const heard = [];
    client.onEvent((e) => heard.push(e));
    await lifecycle(client);
    // Calls are queued from libuv's workers: let the queue drain.
    for (let i = 0; i < 50 && heard.length < 5; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(heard.map(suffix), [
      'created',
      'processing',
      'requires_input',
      'processing',
      'verified',
    ]);
    assert.equal(heard[4].data.object.status, 'verified');
  });

  test('a throwing handler becomes a warning; HTTP clients and non-functions are refused', async () => {
    const client = Client.local();
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      client.onEvent(() => {
        throw new Error('handler failed');
      });
      const s = await client.identity.verificationSessions.create({ type: 'document' });
      assert.equal(s.status, 'requires_input');
      for (let i = 0; i < 50 && warnings.length < 1; i++) await new Promise((r) => setImmediate(r));
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].message, 'handler failed');
    } finally {
      process.off('warning', onWarning);
    }
    assert.throws(() => client.onEvent(42), TypeError);
    const http = new Client(KEY, { baseUrl: 'http://127.0.0.1:9', maxNetworkRetries: 0 });
    assert.throws(() => http.onEvent(() => {}), RangeError);
  });
});
