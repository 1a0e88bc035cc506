// Type-checked by `tsc --noEmit -p tsconfig.json` (scripts/test.sh), never run: the drop-in
// form, written as a stripe-node 23.1.0 user writes it, with only the import changed.
import StripeIdentity from '../index';
import { Client, LastResponse, StripeInvalidRequestError, VerificationSession } from '../index';

export async function dropIn(): Promise<void> {
  const stripe = new StripeIdentity('sk_test_123', {
    host: '127.0.0.1',
    port: 12111,
    protocol: 'http',
    apiVersion: '2026-08-26.dahlia',
    maxNetworkRetries: 2,
    timeout: 80000,
    stripeAccount: 'acct_123',
  });
  const local: StripeIdentity = StripeIdentity.local();
  const vs = stripe.identity.verificationSessions;
  const s = await vs.create(
    { type: 'document', metadata: { order: '42' } },
    { idempotencyKey: 'order-42', stripeAccount: 'acct_1', apiVersion: '2026-08-26.dahlia' },
  );
  const status: string = s.status;
  const last: LastResponse = s.lastResponse;
  const requestId: string = s.lastResponse.requestId;
  const code: number = s.lastResponse.statusCode;
  const header: string | undefined = s.lastResponse.headers['request-id'];
  await vs.retrieve(s.id, {}, { stripeVersion: '2026-08-26.dahlia' });

  const page = await vs.list({ limit: 3 });
  const first: VerificationSession | undefined = page.data[0];
  const more: boolean = page.has_more;
  const pageStatus: number = page.lastResponse.statusCode;
  for await (const each of vs.list({ limit: 100 })) {
    const id: string = each.id;
    void id;
  }
  await vs.list().autoPagingEach((each) => {
    void each.id;
    return false;
  });
  await vs.list().autoPagingEach(async (each) => {
    void each.status;
  });
  const all: VerificationSession[] = await vs.list({ limit: 10 }).autoPagingToArray({ limit: 1000 });
  const reports = await stripe.identity.verificationReports.list().autoPagingToArray({ limit: 10 });
  const events = await stripe.events
    .list({ type: 'identity.verification_session.verified' })
    .autoPagingToArray({
      limit: 10,
    });
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'https://example.com/hook',
    enabled_events: ['*'],
  });
  const event = stripe.webhooks.constructEvent('{}', 't=1,v1=00', 'whsec_x');
  const header2: string = stripe.webhooks.generateTestHeaderString({ payload: '{}', secret: 'whsec_x' });
  const raw = await stripe.rawRequest(
    'POST',
    `/v1/test_helpers/identity/verification_sessions/${s.id}/submit`,
    {},
  );
  const old = await vs.listAutoPaging({ limit: 3 }).autoPagingToArray({ limit: 10 });
  const client: Client = stripe.client;
  const called = StripeIdentity('sk_test_123');

  try {
    await vs.retrieve('vs_missing');
  } catch (e) {
    if (e instanceof StripeIdentity.errors.StripeInvalidRequestError) {
      const c: string | undefined = e.code;
      void c;
    }
    if (e instanceof StripeInvalidRequestError) {
      const r: string | undefined = e.requestId;
      void r;
    }
  }
  // @ts-expect-error autoPagingToArray needs its limit
  await vs.list().autoPagingToArray();
  // @ts-expect-error stripe-node's settings only: baseUrl is the Client's
  new StripeIdentity('sk_test_123', { baseUrl: 'http://127.0.0.1:12111' });
  // @ts-expect-error lastResponse is read-only
  s.lastResponse = last;
  void [local, status, requestId, code, header, first, more, pageStatus, all, reports, events];
  void [endpoint, event, header2, raw, old, client, called];
}
