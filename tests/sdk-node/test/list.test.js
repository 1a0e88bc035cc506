'use strict';
// stripe-node 23.1.0 against identity-mock: list, every filter, auto-pagination both ways.
// Each test has a server of its own, so it can count everything.

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startMock, control } = require('./mock');

let mock;
let stripe;
let vs;
beforeEach(async () => {
  mock = await startMock();
  stripe = mock.stripe();
  vs = stripe.identity.verificationSessions;
});
afterEach(async () => {
  await mock.stop();
});

async function make(n, params = {}) {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push((await vs.create({ type: 'document', ...params })).id);
  return ids;
}

const ids = (page) => page.data.map((s) => s.id);

test('list shape and order', async () => {
  const created = await make(3);
  const page = await vs.list();
  assert.equal(page.object, 'list');
  assert.equal(page.url, '/v1/identity/verification_sessions');
  assert.equal(page.has_more, false);
  assert.deepEqual(ids(page), created.reverse());
});

test('limit and cursors', async () => {
  const created = (await make(7)).reverse();
  let page = await vs.list({ limit: 3 });
  assert.deepEqual(ids(page), created.slice(0, 3));
  assert.equal(page.has_more, true);
  page = await vs.list({ limit: 3, starting_after: created[2] });
  assert.deepEqual(ids(page), created.slice(3, 6));
  page = await vs.list({ limit: 3, starting_after: created[5] });
  assert.deepEqual(ids(page), created.slice(6));
  assert.equal(page.has_more, false);
  page = await vs.list({ limit: 2, ending_before: created[4] });
  assert.deepEqual(ids(page), created.slice(2, 4));
  assert.equal(page.has_more, true);
});

test('auto-pagination over more than two pages', async () => {
  const created = (await make(25)).reverse();
  const seen = [];
  await vs.list({ limit: 7 }).autoPagingEach((s) => {
    seen.push(s.id);
  });
  assert.deepEqual(seen, created);
  const all = await vs.list({ limit: 6 }).autoPagingToArray({ limit: 1000 });
  assert.deepEqual(
    all.map((s) => s.id),
    created,
  );
  const iterated = [];
  for await (const s of vs.list({ limit: 10 })) iterated.push(s.id);
  assert.deepEqual(iterated, created);
  // Backwards from the oldest: oldest first.
  const backwards = await vs
    .list({ limit: 4, ending_before: created.at(-1) })
    .autoPagingToArray({ limit: 1000 });
  assert.deepEqual(
    backwards.map((s) => s.id),
    created.slice(0, -1).reverse(),
  );
});

test('every filter', async () => {
  const a = await make(2, { client_reference_id: 'ref-a' });
  const b = await make(3, { client_reference_id: 'ref-b', related_customer: 'cus_B' });
  const c = (await vs.create({ type: 'id_number', related_customer_account: 'acct_C' })).id;
  const listed = async (params) =>
    new Set((await vs.list({ limit: 100, ...params }).autoPagingToArray({ limit: 1000 })).map((s) => s.id));

  assert.deepEqual(await listed({ client_reference_id: 'ref-a' }), new Set(a));
  assert.deepEqual(await listed({ related_customer: 'cus_B' }), new Set(b));
  assert.deepEqual(await listed({ related_customer_account: 'acct_C' }), new Set([c]));

  await control(stripe, b[0], 'submit');
  await control(stripe, b[1], 'submit');
  await control(stripe, b[1], 'verify');
  await vs.cancel(a[0]);
  assert.deepEqual(await listed({ status: 'processing' }), new Set([b[0]]));
  assert.deepEqual(await listed({ status: 'verified' }), new Set([b[1]]));
  assert.deepEqual(await listed({ status: 'canceled' }), new Set([a[0]]));
  assert.deepEqual(await listed({ status: 'requires_input' }), new Set([a[1], b[2], c]));

  const everything = new Set([...a, ...b, c]);
  const now = Math.floor(Date.now() / 1000);
  const created = (await vs.retrieve(c)).created;
  assert.deepEqual(await listed({ created: { gte: now - 600 } }), everything);
  assert.deepEqual(await listed({ created: { gt: now + 600 } }), new Set());
  assert.deepEqual(await listed({ created: { lt: now + 600, lte: now + 600 } }), everything);
  assert.ok((await listed({ created })).has(c));
});

test('list with expand on data', async () => {
  const [id] = await make(1);
  await control(stripe, id, 'submit');
  await control(stripe, id, 'verify');
  const page = await vs.list({ expand: ['data.verified_outputs', 'data.last_verification_report'] });
  assert.ok(page.data[0].verified_outputs);
  assert.equal(page.data[0].last_verification_report.object, 'identity.verification_report');
});
