// VerificationReports on both backends, each test on a fresh simulator: retrieve, list with
// filters, auto-paging both ways, expand; and auto-paging with no parameters at all.

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

// A session failed once then verified: its two reports' ids, newest first.
async function attempts(client, params = {}) {
  const s = await client.identity.verificationSessions.create({ type: 'document', ...params });
  const helpers = client.testHelpers.identity.verificationSessions;
  await helpers.submit(s.id);
  const failed = await helpers.fail(s.id, { code: 'document_expired' });
  await helpers.submit(s.id);
  const verified = await helpers.verify(s.id);
  return [verified.last_verification_report, failed.last_verification_report];
}

async function all(iterable) {
  const out = [];
  for await (const each of iterable) out.push(each.id);
  return out;
}

for (const [name, make] of Object.entries(backends)) {
  describe(name, () => {
    test('retrieve and expand', async () => {
      const client = await make();
      const [newest, oldest] = await attempts(client);
      const reports = client.identity.verificationReports;
      const report = await reports.retrieve(oldest);
      assert.equal(report.object, 'identity.verification_report');
      assert.equal(report.document.error.code, 'document_expired');
      assert.equal('dob' in report.document, false);
      const expanded = await reports.retrieve(newest, { expand: ['document', 'document.dob'] });
      assert.equal(expanded.document.dob.year, 1901);
      await assert.rejects(reports.retrieve('vr_missing'), (e) => {
        assert.ok(e instanceof StripeInvalidRequestError);
        assert.equal(e.param, 'report');
        return e.statusCode === 404;
      });
    });

    test('list, filters and auto-paging', async () => {
      const client = await make();
      const first = await attempts(client, { client_reference_id: 'first' });
      const second = await attempts(client);
      const reports = client.identity.verificationReports;
      const page = await reports.list({ limit: 3 });
      assert.equal(page.url, '/v1/identity/verification_reports');
      assert.deepEqual(
        page.data.map((r) => r.id),
        [...second, first[0]],
      );
      const mine = await reports.list({ client_reference_id: 'first', type: 'document' });
      assert.deepEqual(
        mine.data.map((r) => r.id),
        first,
      );
      assert.deepEqual(await all(reports.listAutoPaging({ limit: 1 })), [...second, ...first]);
      assert.deepEqual(await all(reports.listAutoPaging({ limit: 1, ending_before: first[1] })), [
        first[0],
        ...second.slice().reverse(),
      ]);
      // No parameters at all: the core's pager takes none, for sessions and reports alike.
      assert.equal((await all(reports.listAutoPaging())).length, 4);
      assert.equal((await all(client.identity.verificationSessions.listAutoPaging())).length, 2);
      assert.throws(() => reports.listAutoPaging({ limit: 'ten' }), TypeError);
    });
  });
}
