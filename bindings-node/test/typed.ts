// Type-checked by `tsc --noEmit -p tsconfig.json` (scripts/test.sh), never run: every class,
// method, parameter and field of the declarations, used the way a TypeScript user would, plus
// misuses that must not compile (`@ts-expect-error`).
import {
  ApiList,
  Client,
  ClientOptions,
  Event,
  ListAutoPaging,
  RequestOptions,
  StripeAPIError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConnectionError,
  StripeError,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePermissionError,
  StripeRateLimitError,
  StripeSignatureVerificationError,
  VerificationReport,
  VerificationSession,
  VerificationSessionCreateParams,
  VerificationSessionListParams,
  webhooks,
} from 'stripe-identity';

declare function use(...values: unknown[]): void;

export async function everything(): Promise<void> {
  const local: Client = Client.local();
  const timed: Client = Client.local({ clock: 1700000000 });
  timed.testHelpers.advanceClock(60);
  const options: ClientOptions = {
    baseUrl: 'http://127.0.0.1:12111',
    maxNetworkRetries: 2,
    timeout: 80000,
    stripeVersion: '2026-10-28.endive',
    stripeAccount: 'acct_1',
  };
  const remote = new Client('sk_test_123', options);
  const isLocal: boolean = remote.isLocal;

  const vs = local.identity.verificationSessions;
  const opts: RequestOptions = {
    idempotencyKey: 'k',
    stripeAccount: 'acct_1',
    stripeVersion: '2026-10-28.endive',
  };
  const params: VerificationSessionCreateParams = {
    type: 'document',
    client_reference_id: 'user_42',
    metadata: { order: '42' },
    options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: true } },
    provided_details: { email: 'jenny@example.com' },
    related_person: { account: 'acct_1', person: 'person_1' },
    return_url: 'https://example.com/done',
    expand: ['verified_outputs'],
  };
  const s: VerificationSession = await vs.create(params, opts);
  const id: string = s.id;
  const status: 'requires_input' | 'processing' | 'verified' | 'canceled' | string = s.status;
  const secret: string | null = s.client_secret;
  const created: number = s.created;
  const order: string | undefined = s.metadata['order'];
  const selfie: boolean | undefined = s.options?.document?.require_matching_selfie;
  const code = s.last_error?.code;
  const report = s.last_verification_report;
  if (report !== null && typeof report !== 'string') {
    const r: VerificationReport = report;
    use(r.document?.status, r.selfie?.error?.code, r.verification_session);
  }
  const first: string | null | undefined = s.verified_outputs?.first_name;
  const dobYear: number | null | undefined = s.verified_outputs?.dob?.year;
  use(id, status, secret, created, order, selfie, code, first, dobYear, isLocal, s.redaction?.status, s.url);

  await vs.retrieve(id);
  await vs.retrieve(id, { expand: ['verified_outputs', 'last_verification_report'] }, opts);
  await vs.update(id, { metadata: { order: null }, options: { document: '' }, type: 'id_number' }, opts);
  await vs.update(id, { metadata: '' });
  await vs.cancel(id);
  await vs.cancel(id, { expand: [] }, opts);
  await vs.redact(id);
  await vs.redact(id, {}, opts);

  const listParams: VerificationSessionListParams = {
    limit: 3,
    status: 'requires_input',
    created: { gte: 1700000000, lt: 1800000000 },
    client_reference_id: 'user_42',
    related_customer: 'cus_1',
    related_customer_account: 'acct_1',
    starting_after: 'vs_1',
    expand: ['data.verified_outputs'],
  };
  const page: ApiList<VerificationSession> = await vs.list(listParams);
  const more: boolean = page.has_more;
  const url: string = page.url;
  const sessions: VerificationSession[] = page.data;
  use(
    more,
    url,
    sessions,
    await vs.list(),
    await vs.list({ created: 1700000000, ending_before: 'vs_9' }, opts),
  );

  const auto: ListAutoPaging = vs.listAutoPaging({ limit: 100 });
  for await (const each of auto) {
    const eachId: string = each.id;
    use(eachId);
  }
  const nextPage: ApiList<VerificationSession> | null = await vs.listAutoPaging(undefined, opts).nextPage();
  use(nextPage);

  const helpers = local.testHelpers.identity.verificationSessions;
  const after: VerificationSession[] = [
    await helpers.submit(id),
    await helpers.verify(id),
    await helpers.fail(id, { code: 'document_expired', reason: 'expired' }),
    await helpers.fail(id, { code: 'abandoned' }),
    await helpers.completeRedaction(id),
  ];
  use(after);

  try {
    await vs.retrieve('vs_missing');
  } catch (e) {
    if (e instanceof StripeInvalidRequestError) {
      const fields: [
        string,
        string | undefined,
        string | undefined,
        number | undefined,
        string | undefined,
        string | undefined,
      ] = [e.type, e.rawType, e.code, e.statusCode, e.param, e.requestId];
      use(fields, e.message, e.doc_url, e.raw.body);
    } else if (e instanceof TypeError) {
      use(e.message);
    }
  }
  const classes: Array<typeof StripeError> = [
    StripeAPIError,
    StripeAuthenticationError,
    StripeCardError,
    StripeConnectionError,
    StripeIdempotencyError,
    StripeInvalidRequestError,
    StripePermissionError,
    StripeRateLimitError,
    StripeSignatureVerificationError,
  ];
  use(classes);

  // @ts-expect-error: ids are strings
  await vs.retrieve(42);
  // @ts-expect-error: create needs its parameters
  await vs.create();
  // @ts-expect-error: request options are camelCase
  await vs.create({ type: 'document' }, { idempotency_key: 'k' });
  // @ts-expect-error: fail needs a code
  await helpers.fail(id, { reason: 'x' });
  // @ts-expect-error: the timeout is a number of milliseconds
  new Client('sk_test_123', { timeout: '80s' });
  // @ts-expect-error: the fields are snake_case, as the API names them
  use(s.clientSecret);
  // @ts-expect-error: `object` of a session is a literal
  const wrong: 'list' = s.object;
  use(wrong);
}

export async function eventsAndWebhooks(client: Client, body: string): Promise<void> {
  const page: ApiList<Event> = await client.events.list({
    type: 'identity.verification_session.verified',
    limit: 3,
  });
  const one: Event = await client.events.retrieve(page.data[0].id);
  const session: VerificationSession = one.data.object;
  for await (const e of client.events.listAutoPaging({ types: ['identity.verification_session.created'] })) {
    use(e.type, e.request?.idempotency_key);
  }
  const header: string = webhooks.generateTestHeaderString({
    payload: body,
    secret: 'whsec_x',
    timestamp: 1,
  });
  const event: Event = webhooks.constructEvent(body, header, 'whsec_x', 300);
  use(client.webhooks.constructEvent(new Uint8Array(0), header, 'whsec_x'), session, event);
  client.onEvent((e: Event) => use(e.data.object.status));
  // @ts-expect-error: a tolerance is a number of seconds
  webhooks.constructEvent(body, header, 'whsec_x', '300');
  const err = new StripeSignatureVerificationError();
  use(err.header, err.payload);
}
