// Every operation and control, the same tests on both backends: the embedded simulator
// (`Client.local()`) and identity-mock over HTTP (started here, stopped at the end).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StripeError, StripeIdempotencyError, StripeInvalidRequestError } from 'stripe-identity';
import { KEY, startMock } from './support.mjs';

function backends() {
  let mock;
  return [
    {
      name: 'Client.local()',
      setup: async () => {},
      teardown: async () => {},
      client: () => Client.local(),
    },
    {
      name: 'identity-mock over HTTP',
      setup: async () => {
        mock = await startMock();
      },
      teardown: async () => {
        await mock?.stop();
      },
      client: () => new Client(KEY, { baseUrl: mock.url, maxNetworkRetries: 0 }),
    },
  ];
}

for (const backend of backends()) {
  describe(backend.name, () => {
    let client;
    let vs;
    let helpers;
    before(async () => {
      await backend.setup();
      client = backend.client();
      vs = client.identity.verificationSessions;
      helpers = client.testHelpers.identity.verificationSessions;
    });
    after(() => backend.teardown());

    test('create gives the API object as a plain object with snake_case fields', async () => {
      const s = await vs.create(
        {
          type: 'document',
          options: { document: { require_matching_selfie: true, allowed_types: ['passport'] } },
          metadata: { order: '42' },
          client_reference_id: 'user_42',
        },
        { idempotencyKey: `create-${backend.name}` },
      );
      assert.equal(Object.getPrototypeOf(s), Object.prototype);
      assert.match(s.id, /^vs_/);
      assert.equal(s.object, 'identity.verification_session');
      assert.equal(s.status, 'requires_input');
      assert.equal(s.type, 'document');
      assert.equal(s.livemode, false);
      assert.equal(s.client_reference_id, 'user_42');
      assert.deepEqual(s.metadata, { order: '42' });
      assert.deepEqual(s.options.document, { allowed_types: ['passport'], require_matching_selfie: true });
      assert.equal(s.last_error, null);
      assert.equal(s.redaction, null);
      assert.match(s.client_secret, /^vs_.*_secret_/);
      assert.equal(typeof s.created, 'number');
      assert.ok(!('verified_outputs' in s), 'verified_outputs is includable, absent by default');
    });

    test('retrieve, update and metadata (null unsets, as in stripe-node)', async () => {
      const s = await vs.create({ type: 'id_number', metadata: { a: '1', b: '2' } });
      assert.deepEqual(await vs.retrieve(s.id), s);
      const u = await vs.update(s.id, { metadata: { a: null, c: '3' }, type: 'document' });
      assert.deepEqual(u.metadata, { b: '2', c: '3' });
      assert.equal(u.type, 'document');
      const cleared = await vs.update(s.id, { metadata: null });
      assert.deepEqual(cleared.metadata, {});
      const expanded = await vs.retrieve(s.id, { expand: ['verified_outputs'] });
      assert.equal(expanded.verified_outputs, null);
    });

    // Text that is all ASCII reaches JavaScript as Latin-1, any other as UTF-8 (`convert::Text`,
    // for answers and for auto-paging's pages): both must give back exactly what was stored.
    test('answers with and without non-ASCII text read back exactly', async () => {
      const wide = { 'cl\u00e9': 'caf\u00e9 \u2615 \u65e5\u672c \u{1F600}', plain: 'x' };
      const s = await vs.create({ type: 'document', metadata: wide });
      assert.deepEqual(s.metadata, wide);
      assert.deepEqual((await vs.retrieve(s.id)).metadata, wide);
      const page = await vs.list({ limit: 100 });
      assert.deepEqual(page.data.find((x) => x.id === s.id).metadata, wide);
      let walked = null;
      for await (const x of vs.listAutoPaging({ limit: 3 })) if (x.id === s.id) walked = x;
      assert.deepEqual(walked.metadata, wide);
      const ascii = await vs.create({ type: 'document', metadata: { k: '~\u007f' } });
      assert.deepEqual((await vs.retrieve(ascii.id)).metadata, { k: '~\u007f' });
    });

    test('the controls move a session through its lifecycle', async () => {
      const s = await vs.create({ type: 'document' });
      const submitted = await helpers.submit(s.id);
      assert.equal(submitted.status, 'processing');
      assert.equal(submitted.client_secret, null);
      const failed = await helpers.fail(s.id, { code: 'document_expired', reason: 'The document expired.' });
      assert.equal(failed.status, 'requires_input');
      assert.deepEqual(failed.last_error, { code: 'document_expired', reason: 'The document expired.' });
      await helpers.submit(s.id);
      const verified = await helpers.verify(s.id);
      assert.equal(verified.status, 'verified');
      assert.match(verified.last_verification_report, /^vr_/);
      const full = await vs.retrieve(s.id, { expand: ['verified_outputs', 'last_verification_report'] });
      assert.equal(typeof full.verified_outputs.first_name, 'string');
      assert.equal(full.last_verification_report.object, 'identity.verification_report');
      const redacted = await vs.redact(s.id);
      assert.equal(redacted.redaction.status, 'processing');
      const done = await helpers.completeRedaction(s.id);
      assert.equal(done.redaction.status, 'redacted');
    });

    test('cancel, and a refused transition is a StripeInvalidRequestError', async () => {
      const s = await vs.create({ type: 'document' });
      const canceled = await vs.cancel(s.id);
      assert.equal(canceled.status, 'canceled');
      const err = await vs.cancel(s.id).then(
        () => assert.fail('a second cancel must fail'),
        (e) => e,
      );
      assert.ok(err instanceof StripeInvalidRequestError);
      assert.ok(err instanceof StripeError);
      assert.equal(err.statusCode, 400);
      assert.equal(err.rawType, 'invalid_request_error');
      assert.equal(err.code, 'verification_session_unexpected_state');
      assert.match(err.requestId, /^req_/);
      assert.equal((await vs.retrieve(s.id)).status, 'canceled', 'a refused call changes nothing');
    });

    test('an unknown id rejects with every field of the API error', async () => {
      const err = await vs.retrieve('vs_doesnotexist').catch((e) => e);
      assert.ok(err instanceof StripeInvalidRequestError);
      assert.equal(err.type, 'StripeInvalidRequestError');
      assert.equal(err.rawType, 'invalid_request_error');
      assert.equal(err.code, 'resource_missing');
      assert.equal(err.statusCode, 404);
      assert.equal(err.param, 'session');
      assert.match(err.message, /No such verification_session/);
      assert.match(err.requestId, /^req_/);
      assert.match(err.doc_url, /resource-missing/);
      assert.equal(err.raw.body.error.code, 'resource_missing');
      assert.notEqual(err.code, 'GenericFailure');
    });

    test('list pages newest first, with filters', async () => {
      const tag = `list-${Date.now()}-${Math.random()}`;
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await vs.create({ type: 'document', client_reference_id: tag }));
      const page = await vs.list({ limit: 3, client_reference_id: tag });
      assert.equal(page.object, 'list');
      assert.equal(page.url, '/v1/identity/verification_sessions');
      assert.equal(page.has_more, true);
      assert.deepEqual(
        page.data.map((s) => s.id),
        made
          .slice(2)
          .reverse()
          .map((s) => s.id),
      );
      const next = await vs.list({ limit: 3, client_reference_id: tag, starting_after: page.data[2].id });
      assert.equal(next.has_more, false);
      assert.equal(next.data.length, 2);
      await helpers.submit(made[0].id);
      const processing = await vs.list({ client_reference_id: tag, status: 'processing' });
      assert.deepEqual(
        processing.data.map((s) => s.id),
        [made[0].id],
      );
      const created = await vs.list({ client_reference_id: tag, created: { gte: made[0].created } });
      assert.equal(created.data.length, 5);
    });

    test('listAutoPaging walks every page forwards and backwards', async () => {
      const tag = `auto-${Date.now()}-${Math.random()}`;
      const ids = [];
      for (let i = 0; i < 7; i++)
        ids.push((await vs.create({ type: 'document', client_reference_id: tag })).id);
      const forward = [];
      for await (const s of vs.listAutoPaging({ limit: 3, client_reference_id: tag })) forward.push(s.id);
      assert.deepEqual(forward, [...ids].reverse());
      const backward = [];
      for await (const s of vs.listAutoPaging({
        limit: 2,
        client_reference_id: tag,
        ending_before: ids[0],
      })) {
        backward.push(s.id);
      }
      assert.deepEqual(backward, ids.slice(1));
      const it = vs.listAutoPaging({ limit: 2, client_reference_id: tag });
      const first = await it.nextPage();
      assert.equal(first.data.length, 2);
      assert.equal(first.has_more, true);
    });

    test('request options: an idempotency key replays, and refuses other parameters', async () => {
      const key = `idem-${backend.name}-${Math.random()}`;
      const a = await vs.create({ type: 'document', metadata: { n: '1' } }, { idempotencyKey: key });
      const b = await vs.create({ type: 'document', metadata: { n: '1' } }, { idempotencyKey: key });
      assert.equal(a.id, b.id);
      const err = await vs.create({ type: 'id_number' }, { idempotencyKey: key }).catch((e) => e);
      assert.ok(err instanceof StripeIdempotencyError, String(err));
      assert.equal(err.rawType, 'idempotency_error');
      const other = await vs.create({ type: 'document' }, { idempotencyKey: key, stripeAccount: 'acct_1' });
      assert.notEqual(other.id, a.id, 'a key is scoped to its account');
      const versioned = await vs.retrieve(a.id, undefined, { stripeVersion: '2026-10-28.endive' });
      assert.equal(versioned.id, a.id);
    });

    test('many calls at once on one client', async () => {
      const tag = `burst-${Date.now()}`;
      const created = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          vs.create({ type: 'document', client_reference_id: tag, metadata: { i: String(i) } }),
        ),
      );
      assert.equal(new Set(created.map((s) => s.id)).size, 300);
      const read = await Promise.all(created.map((s) => vs.retrieve(s.id)));
      assert.deepEqual(
        read.map((s) => s.metadata.i),
        created.map((_, i) => String(i)),
      );
      const moved = await Promise.all(created.slice(0, 100).map((s) => helpers.submit(s.id)));
      assert.ok(moved.every((s) => s.status === 'processing'));
      let seen = 0;
      for await (const s of vs.listAutoPaging({ limit: 100, client_reference_id: tag })) {
        assert.equal(s.client_reference_id, tag);
        seen++;
      }
      assert.equal(seen, 300);
    });
  });
}
