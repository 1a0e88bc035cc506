// The drop-in form: `StripeIdentity` shaped like stripe-node 23.1.0's `Stripe` (its module
// export, settings, per-call options, list() auto-pagination, lastResponse, errors), on the
// local simulator and over identity-mock.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import StripeIdentityDefault, {
  StripeIdentity,
  Client,
  StripeInvalidRequestError,
  StripeError,
} from '../index.mjs';
import { startMock, KEY } from './support.mjs';

const require = createRequire(import.meta.url);

async function make(vs, n) {
  const ids = [];
  for (let i = 0; i < n; i++)
    ids.push((await vs.create({ type: 'document', metadata: { n: String(i) } })).id);
  return ids.reverse(); // newest first, as lists give them
}

describe('the module, as stripe-node exports it', () => {
  test('require() gives the constructor, with .default, .Stripe and every named export', () => {
    const cjs = require('../index.js');
    assert.equal(typeof cjs, 'function');
    assert.equal(cjs, StripeIdentity);
    assert.equal(cjs.default, cjs);
    assert.equal(cjs.Stripe, cjs);
    assert.equal(cjs.StripeIdentity, cjs);
    assert.equal(cjs.Client, Client);
    assert.equal(cjs.errors.StripeInvalidRequestError, StripeInvalidRequestError);
    assert.equal(typeof cjs.webhooks.constructEvent, 'function');
    assert.equal(StripeIdentityDefault, StripeIdentity);
  });

  test('callable with or without new; stripe-node settings only', () => {
    assert.ok(new StripeIdentity(KEY) instanceof StripeIdentity);
    assert.ok(StripeIdentity(KEY) instanceof StripeIdentity);
    assert.equal(StripeIdentity.local().isLocal, true);
    assert.equal(
      new StripeIdentity(KEY, { telemetry: false, apiVersion: '2026-08-26.dahlia' }).isLocal,
      false,
    );
    assert.throws(
      () => new StripeIdentity(KEY, { baseUrl: 'http://127.0.0.1:1' }),
      (e) => e instanceof TypeError && e.param === 'baseUrl' && /may only contain/.test(e.message),
    );
    assert.throws(() => new StripeIdentity(KEY, { protocol: 'ftp' }), {
      name: 'TypeError',
      param: 'protocol',
    });
    assert.throws(() => new StripeIdentity(KEY, { port: {} }), { name: 'TypeError', param: 'port' });
    assert.throws(() => new StripeIdentity(KEY, 'config'), { name: 'TypeError', param: 'config' });
    // The values themselves are the core's to judge, named as the user named them.
    assert.throws(() => new StripeIdentity(KEY, { maxNetworkRetries: -1 }), { param: 'maxNetworkRetries' });
    assert.throws(() => new StripeIdentity(123), { name: 'TypeError', param: 'apiKey' });
  });
});

describe('StripeIdentity.local()', () => {
  const stripe = StripeIdentity.local();
  const vs = stripe.identity.verificationSessions;

  test('results carry a non-enumerable lastResponse', async () => {
    const s = await vs.create(
      { type: 'document' },
      { idempotencyKey: 'k-1', apiVersion: '2026-08-26.dahlia' },
    );
    const last = s.lastResponse;
    assert.equal(last.statusCode, 200);
    assert.match(last.requestId, /^req_/);
    assert.equal(last.headers['request-id'], last.requestId);
    assert.equal(last.idempotencyKey, 'k-1');
    assert.equal(last.apiVersion, '2026-08-26.dahlia');
    assert.equal(Object.keys(s).includes('lastResponse'), false);
    assert.equal(JSON.stringify(s).includes('lastResponse'), false);
    assert.deepEqual({ ...s }, JSON.parse(JSON.stringify(s)));
    assert.throws(() => {
      'use strict';
      s.lastResponse = null;
    }, TypeError);
    const again = await vs.create({ type: 'document' }, { idempotencyKey: 'k-1' });
    assert.equal(again.id, s.id);
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.notEqual(again.lastResponse.requestId, last.requestId);
    const page = await vs.list({ limit: 1 });
    assert.equal(page.lastResponse.statusCode, 200);
    // Parsed when first read: every read gives that same object, on a frozen result too.
    assert.equal(s.lastResponse, last);
    const frozen = Object.freeze(await vs.retrieve(s.id));
    assert.equal(frozen.lastResponse, frozen.lastResponse);
    assert.equal(frozen.lastResponse.statusCode, 200);
  });

  test('per-call options: apiVersion, and stripeVersion still', async () => {
    const s = await vs.create({ type: 'document' }, { stripeVersion: '2026-08-26.dahlia' });
    assert.equal(s.lastResponse.apiVersion, '2026-08-26.dahlia');
    await assert.rejects(
      vs.create({ type: 'document' }, { apiVersion: 'a', stripeVersion: 'b' }),
      (e) => e instanceof RangeError && e.param === 'stripeVersion',
    );
    await assert.rejects(vs.create({ type: 'document' }, { maxNetworkRetries: 1 }), {
      name: 'TypeError',
      param: 'maxNetworkRetries',
    });
  });

  test('errors carry the headers of their answer', async () => {
    await assert.rejects(vs.retrieve('vs_missing'), (e) => {
      assert.equal(e.statusCode, 404);
      assert.equal(e.headers['request-id'], e.requestId);
      return true;
    });
  });

  test('rawRequest: any endpoint, parameters encoded, errors typed', async () => {
    const s = await vs.create({ type: 'document' });
    const path = `/v1/test_helpers/identity/verification_sessions/${s.id}`;
    assert.equal((await stripe.rawRequest('POST', `${path}/submit`, {})).status, 'processing');
    const failed = await stripe.rawRequest('post', `${path}/fail`, { code: 'document_expired' });
    assert.equal(failed.last_error.code, 'document_expired');
    assert.match(failed.lastResponse.requestId, /^req_/);
    const page = await stripe.rawRequest('GET', '/v1/identity/verification_sessions', { limit: 1 });
    assert.equal(page.data.length, 1);
    await assert.rejects(stripe.rawRequest('GET', '/v1/nothing_here'), (e) => {
      assert.ok(e instanceof StripeInvalidRequestError);
      assert.equal(e.statusCode, 404);
      return true;
    });
  });
});

describe('list(): a Promise of the page that walks every object', () => {
  test('on both surfaces: for await, autoPagingEach, autoPagingToArray, backwards', async () => {
    for (const client of [StripeIdentity.local(), Client.local()]) {
      const vs = client.identity.verificationSessions;
      const ids = await make(vs, 7);
      const page = await vs.list({ limit: 3 });
      assert.deepEqual(
        page.data.map((s) => s.id),
        ids.slice(0, 3),
      );
      const walked = [];
      for await (const s of vs.list({ limit: 3 })) walked.push(s.id);
      assert.deepEqual(walked, ids);
      const all = await vs.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
      assert.deepEqual(
        all.map((s) => s.id),
        ids,
      );
      assert.equal((await vs.list({ limit: 2 }).autoPagingToArray({ limit: 5 })).length, 5);
      const back = await vs.list({ limit: 2, ending_before: ids[4] }).autoPagingToArray({ limit: 100 });
      assert.deepEqual(
        back.map((s) => s.id),
        ids.slice(0, 4).reverse(),
      );
      // The older form keeps working, with the same methods.
      assert.equal((await vs.listAutoPaging({ limit: 2 }).autoPagingToArray({ limit: 100 })).length, 7);
    }
  });

  test('the walk starts from the page list() fetched, without fetching it again', async () => {
    const vs = StripeIdentity.local().identity.verificationSessions;
    const ids = await make(vs, 4);
    const list = vs.list({ limit: 2 });
    await list;
    // Created after the first page: a walk that fetched that page again would see it first.
    const later = (await vs.create({ type: 'document' })).id;
    const walked = (await list.autoPagingToArray({ limit: 100 })).map((s) => s.id);
    assert.deepEqual(walked, ids);
    assert.ok(!walked.includes(later));
  });

  test('autoPagingEach stops on false, on a Promise of false, and on next(false)', async () => {
    const vs = StripeIdentity.local().identity.verificationSessions;
    const ids = await make(vs, 6);
    const seen = [];
    await vs.list({ limit: 2 }).autoPagingEach((s) => {
      seen.push(s.id);
      return seen.length < 3;
    });
    assert.deepEqual(seen, ids.slice(0, 3));
    let count = 0;
    await vs.list({ limit: 2 }).autoPagingEach(async () => ++count !== 4 && undefined);
    assert.equal(count, 4);
    count = 0;
    await vs.list({ limit: 5 }).autoPagingEach((s, next) => {
      count++;
      setImmediate(() => next(count < 2));
    });
    assert.equal(count, 2);
    let done = null;
    await vs.list().autoPagingEach(
      () => {},
      (err) => {
        done = err ?? 'ok';
      },
    );
    assert.equal(done, 'ok');
  });

  test("stripe-node's refusals: autoPagingToArray needs a limit, at most 10000", async () => {
    const vs = StripeIdentity.local().identity.verificationSessions;
    const list = vs.list();
    assert.throws(() => list.autoPagingToArray(), { name: 'TypeError', message: /You must pass a `limit`/ });
    assert.throws(() => list.autoPagingToArray({ limit: 10001 }), { name: 'RangeError' });
    assert.throws(() => list.autoPagingEach('x'), TypeError);
    assert.throws(() => list.autoPagingEach((a, b, c) => [a, b, c]), TypeError);
    await list;
  });

  test('break stops the walk; concurrent next() calls share one step', async () => {
    const vs = Client.local().identity.verificationSessions;
    const ids = await make(vs, 5);
    const list = vs.list({ limit: 2 });
    const [a, b] = [list.next(), list.next()];
    assert.equal(a, b);
    assert.equal((await a).value.id, ids[0]);
    for await (const s of list) {
      assert.equal(s.id, ids[1]);
      break;
    }
    assert.deepEqual(await list.next(), { value: undefined, done: true });
  });

  test('a failed first page rejects the walk too, with the same error', async () => {
    const vs = StripeIdentity.local().identity.verificationSessions;
    const list = vs.list({ limit: 1000 });
    await assert.rejects(list, { param: 'limit' });
    await assert.rejects(list.autoPagingToArray({ limit: 10 }), { param: 'limit' });
  });
});

describe('errors carry stripe-node fields', () => {
  test('the fields of the answer body are on the error', () => {
    const e = StripeError.generate({
      kind: 'card',
      message: 'declined',
      type: 'card_error',
      statusCode: 402,
      body: { error: { type: 'card_error', decline_code: 'do_not_honor', user_message: 'Try another' } },
    });
    assert.equal(e.type, 'StripeCardError');
    assert.equal(e.decline_code, 'do_not_honor');
    assert.equal(e.userMessage, 'Try another');
    assert.equal(e.user_message, 'Try another');
    assert.equal(e.payment_intent, undefined);
  });
});

describe('over identity-mock', () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock.stop();
  });

  test('host, port, protocol; lastResponse, auto-paging and errors as on the local client', async () => {
    const stripe = new StripeIdentity(KEY, { host: '127.0.0.1', port: mock.port, protocol: 'http' });
    const vs = stripe.identity.verificationSessions;
    const ids = await make(vs, 5);
    const s = await vs.retrieve(ids[0]);
    assert.equal(s.lastResponse.statusCode, 200);
    assert.match(s.lastResponse.requestId, /^req_/);
    assert.equal(s.lastResponse.headers['request-id'], s.lastResponse.requestId);
    const walked = [];
    for await (const each of vs.list({ limit: 2 })) walked.push(each.id);
    assert.deepEqual(walked, ids);
    await assert.rejects(vs.retrieve('vs_missing'), (e) => {
      assert.ok(e instanceof StripeIdentity.errors.StripeInvalidRequestError);
      assert.equal(e.statusCode, 404);
      assert.match(e.requestId, /^req_/);
      // The answer's headers, lower-case names, as stripe-node's error.headers.
      assert.equal(e.headers['request-id'], e.requestId);
      assert.match(e.headers['content-type'], /^application\/json/);
      return true;
    });
    const refused = new StripeIdentity('sk_test_bad-key-abcd', {
      host: '127.0.0.1',
      port: mock.port,
      protocol: 'http',
    });
    await assert.rejects(refused.identity.verificationSessions.list(), { type: 'StripeAuthenticationError' });
  });
});
