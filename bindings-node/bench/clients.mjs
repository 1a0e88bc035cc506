// The two clients the benchmarks compare, made the same way wherever they run: this package, or
// stripe-node 23.1.0 (the pinned devDependency), against one server, with no retries; over
// HTTPS both trust the server's CA (`ca` here, an https.Agent's `ca` for stripe-node).
import https from 'node:https';
import Stripe from 'stripe';
import { Client } from 'stripe-identity';
import { KEY } from '../test/support.mjs';

/** The client `kind` ('stripe-identity' or 'stripe-node') of `baseUrl`'s server. */
export function makeClient(kind, baseUrl, ca) {
  if (kind === 'stripe-identity')
    return new Client(KEY, { baseUrl, maxNetworkRetries: 0, ...(ca && { ca }) });
  if (kind !== 'stripe-node') throw new Error(`unknown client ${kind}`);
  const url = new URL(baseUrl);
  return new Stripe(KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: url.protocol.slice(0, -1),
    maxNetworkRetries: 0,
    ...(ca && { httpAgent: new https.Agent({ keepAlive: true, ca }) }),
  });
}

/** The operations of a row, by name, on `client`'s verification sessions. */
export function operations(client, sessionId) {
  const vs = client.identity.verificationSessions;
  return {
    retrieve: () => vs.retrieve(sessionId),
    create: () => vs.create({ type: 'document', metadata: { order: '42' } }),
    'list(limit=10)': () => vs.list({ limit: 10 }),
  };
}
