// One row's calls of one client in a process of their own, for bench.mjs to count the system
// calls of (under `strace -f -c`) and bench/cost.sh the CPU of (under `perf stat`): a warm-up,
// then exactly COUNT calls with IN_FLIGHT loops.
// Usage: node bench/calls.mjs BASE_URL OPERATION IN_FLIGHT COUNT SESSION_ID [CA_FILE]
// The client is this package, or stripe-node 23.1.0 (the pinned devDependency) with
// CALLS_CLIENT=stripe-node, so that both are counted the same way.
import fs from 'node:fs';
import https from 'node:https';
import Stripe from 'stripe';
import { Client } from 'stripe-identity';
import { KEY } from '../test/support.mjs';

const [baseUrl, op, inFlight, count, id, caFile] = process.argv.slice(2);
const WARMUP = 200;
const ca = caFile ? fs.readFileSync(caFile) : undefined;

function stripeNode() {
  const url = new URL(baseUrl);
  const protocol = url.protocol.slice(0, -1);
  return new Stripe(KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol,
    maxNetworkRetries: 0,
    ...(ca && { httpAgent: new https.Agent({ keepAlive: true, ca }) }),
  });
}

const client =
  process.env.CALLS_CLIENT === 'stripe-node'
    ? stripeNode()
    : new Client(KEY, { baseUrl, maxNetworkRetries: 0, ...(ca && { ca }) });
const vs = client.identity.verificationSessions;
const call = {
  retrieve: () => vs.retrieve(id),
  create: () => vs.create({ type: 'document', metadata: { order: '42' } }),
  'list(limit=10)': () => vs.list({ limit: 10 }),
}[op];
if (!call) throw new Error(`unknown operation ${op}`);

/** Makes `n` calls, `inFlight` at a time. */
async function run(n, loops) {
  let left = n;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (left > 0) {
        left--;
        await call();
      }
    }),
  );
}

await run(WARMUP, Number(inFlight));
await run(Number(count), Number(inFlight));
