// Webhook endpoints on both backends, each test on a fresh simulator: create (the only answer
// with the secret), retrieve, update, list with auto-paging, del, and typed errors.

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

for (const [name, make] of Object.entries(backends)) {
  describe(`webhook endpoints on ${name}`, () => {
    test('create, retrieve, update, del', async () => {
      const we = (await make()).webhookEndpoints;
      const made = await we.create({ url: 'http://127.0.0.1:4242/webhook', enabled_events: ['*'] });
      assert.match(made.id, /^we_/);
      assert.match(made.secret, /^whsec_/);
      assert.equal(made.status, 'enabled');
      const got = await we.retrieve(made.id);
      assert.equal(got.secret, undefined);
      const changed = await we.update(made.id, { disabled: true, description: 'orders' });
      assert.deepEqual([changed.status, changed.description], ['disabled', 'orders']);
      assert.deepEqual(await we.del(made.id), { id: made.id, object: 'webhook_endpoint', deleted: true });
      await assert.rejects(
        we.retrieve(made.id),
        (e) => e instanceof StripeInvalidRequestError && e.statusCode === 404,
      );
    });

    test('list and auto-paging, newest first', async () => {
      const we = (await make()).webhookEndpoints;
      const ids = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await we.create({ url: `http://127.0.0.1:${4000 + i}/h`, enabled_events: ['*'] })).id);
      }
      const page = await we.list({ limit: 2 });
      assert.deepEqual(
        page.data.map((e) => e.id),
        [ids[2], ids[1]],
      );
      assert.equal(page.has_more, true);
      const all = [];
      for await (const e of we.listAutoPaging({ limit: 1 })) all.push(e.id);
      assert.deepEqual(all, [...ids].reverse());
    });

    test('bad input is a typed error naming the parameter', async () => {
      const we = (await make()).webhookEndpoints;
      await assert.rejects(
        we.create({ url: 'http://127.0.0.1/h', enabled_events: ['charge.succeeded'] }),
        (e) => e instanceof StripeInvalidRequestError && e.param === 'enabled_events',
      );
      await assert.rejects(
        we.create({ url: 'not a url', enabled_events: ['*'] }),
        (e) => e instanceof StripeInvalidRequestError && e.param === 'url',
      );
      await assert.rejects(we.create({ url: 'http://127.0.0.1/h', enabled_events: 5 }), TypeError);
    });
  });
}
