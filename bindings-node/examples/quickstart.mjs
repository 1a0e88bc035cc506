// The Node quickstart (`make demo`): a VerificationSession's whole life on the embedded
// simulator, then the same client API against identity-mock when IDENTITY_MOCK_URL is set.
//
//   node examples/quickstart.mjs
//   IDENTITY_MOCK_URL=http://127.0.0.1:12111 node examples/quickstart.mjs

import { Client, StripeInvalidRequestError } from 'stripe-identity';

async function lifecycle(client, label) {
  console.log(`--- ${label}`);
  const vs = client.identity.verificationSessions;
  const helpers = client.testHelpers.identity.verificationSessions;

  const session = await vs.create(
    {
      type: 'document',
      options: { document: { require_matching_selfie: true } },
      metadata: { order: '42' },
      client_reference_id: 'user_42',
    },
    { idempotencyKey: `order-42-verify-${label}` },
  );
  console.log(`created   ${session.id}  status=${session.status}  url=${session.url}`);

  // The simulator plays the user: submit the hosted flow, fail once, then pass.
  await helpers.submit(session.id);
  const failed = await helpers.fail(session.id, {
    code: 'document_expired',
    reason: 'The document has expired.',
  });
  console.log(`failed    status=${failed.status}  last_error=${failed.last_error.code}`);
  await helpers.submit(session.id);
  const verified = await helpers.verify(session.id);
  console.log(`verified  status=${verified.status}  report=${verified.last_verification_report}`);

  const full = await vs.retrieve(session.id, { expand: ['verified_outputs'] });
  const who = full.verified_outputs;
  console.log(`outputs   ${who.first_name} ${who.last_name}, ${who.address.city} (${who.address.country})`);

  try {
    await vs.cancel(session.id);
  } catch (e) {
    if (!(e instanceof StripeInvalidRequestError)) throw e;
    console.log(`cancel    refused: ${e.type} ${e.statusCode} ${e.code}`);
  }

  await vs.redact(session.id);
  const redacted = await helpers.completeRedaction(session.id);
  console.log(
    `redacted  redaction=${redacted.redaction.status}  metadata=${JSON.stringify(redacted.metadata)}`,
  );

  // Many calls in flight on one client: each runs off the JavaScript thread.
  await Promise.all(
    Array.from({ length: 25 }, (_, i) => vs.create({ type: 'id_number', metadata: { i: String(i) } })),
  );
  let count = 0;
  for await (const each of vs.listAutoPaging({ limit: 10 }))
    count += each.object === 'identity.verification_session' ? 1 : 0;
  console.log(`listed    ${count} sessions, 10 per page, fetched as the loop went`);
}

await lifecycle(Client.local(), 'Client.local()');
if (process.env.IDENTITY_MOCK_URL) {
  await lifecycle(new Client('sk_test_123', { baseUrl: process.env.IDENTITY_MOCK_URL }), 'identity-mock');
}
