'use strict';
// stripe-node 23.1.0 against identity-mock: VerificationReports retrieved and listed.

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startMock, control } = require('./mock');

let mock;
let stripe;
beforeEach(async () => {
  mock = await startMock();
  stripe = mock.stripe();
});
afterEach(async () => {
  await mock.stop();
});

// A session failed once then verified: its two reports' ids, newest first.
async function attempts() {
  const s = await stripe.identity.verificationSessions.create({ type: 'document' });
  await control(stripe, s.id, 'submit');
  const failed = await control(stripe, s.id, 'fail', { code: 'document_expired' });
  await control(stripe, s.id, 'submit');
  const verified = await control(stripe, s.id, 'verify');
  return [verified.last_verification_report, failed.last_verification_report];
}

test('retrieve and expand', async () => {
  const [newest, oldest] = await attempts();
  const reports = stripe.identity.verificationReports;
  const report = await reports.retrieve(oldest);
  assert.equal(report.object, 'identity.verification_report');
  assert.equal(report.document.status, 'unverified');
  assert.equal(report.document.error.code, 'document_expired');
  assert.equal('dob' in report.document, false);
  const expanded = await reports.retrieve(newest, { expand: ['document', 'document.dob'] });
  assert.equal(expanded.document.dob.year, 1901);
});

test('list, filters and auto-paging', async () => {
  const first = await attempts();
  const second = await attempts();
  const reports = stripe.identity.verificationReports;
  const page = await reports.list({ limit: 3 });
  assert.equal(page.url, '/v1/identity/verification_reports');
  assert.deepEqual(
    page.data.map((r) => r.id),
    [...second, first[0]],
  );
  assert.equal(page.has_more, true);
  const session = (await reports.retrieve(first[0])).verification_session;
  const mine = await reports.list({ verification_session: session, type: 'document' });
  assert.deepEqual(
    mine.data.map((r) => r.id),
    first,
  );
  const all = await reports.list({ limit: 1 }).autoPagingToArray({ limit: 10 });
  assert.deepEqual(
    all.map((r) => r.id),
    [...second, ...first],
  );
});
