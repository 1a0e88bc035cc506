// Type-checked by tsc (tsconfig.json), never run: the ESM form of the drop-in, whose default
// export is the constructor (index.d.mts).
import Stripe, { Client, StripeIdentity } from '../index.mjs';

export async function esm(): Promise<number> {
  const stripe: StripeIdentity = new Stripe('sk_test_123', {
    host: '127.0.0.1',
    port: 12111,
    protocol: 'http',
  });
  const local = Stripe.local();
  const client: Client = local.client;
  const s = await stripe.identity.verificationSessions.create({ type: 'document' });
  void client;
  // @ts-expect-error the key is a string
  void new Stripe(42);
  return s.lastResponse.statusCode;
}
