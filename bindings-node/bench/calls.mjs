// One row's calls of one client in a process of their own, for bench.mjs to count the system
// calls of (under `strace -f -c`) and bench/cost.mjs the CPU of (under `perf stat`): a warm-up,
// then exactly COUNT calls with IN_FLIGHT loops.
// Usage: node bench/calls.mjs BASE_URL OPERATION IN_FLIGHT COUNT SESSION_ID [CA_FILE]
// The client is this package, or stripe-node 23.1.0 with CALLS_CLIENT=stripe-node, so that
// both are counted the same way.
import fs from 'node:fs';
import { makeClient, operations } from './clients.mjs';

const [baseUrl, op, inFlight, count, id, caFile] = process.argv.slice(2);
const WARMUP = 200;
const ca = caFile ? fs.readFileSync(caFile) : undefined;
const client = makeClient(process.env.CALLS_CLIENT || 'stripe-identity', baseUrl, ca);
const call = operations(client, id)[op];
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
