// One client of bench.mjs in a process of its own, so that its CPU per call is its own: in one
// process the two clients share V8's heap, and the garbage one client leaves is collected, and
// counted, in the other's run. Forked by bench.mjs with `KIND BASE_URL SESSION_ID [CA_FILE]`;
// each message { op, inFlight, seconds } runs that row for that long and answers { rate, cpu }:
// calls per second, and this process's CPU (user + system, every thread, libuv's pool
// included) per call in µs.
import fs from 'node:fs';
import { makeClient, operations } from './clients.mjs';

const [kind, baseUrl, id, caFile] = process.argv.slice(2);
const ops = operations(makeClient(kind, baseUrl, caFile && fs.readFileSync(caFile)), id);

/** Calls `fn` with `inFlight` loops in parallel for `seconds`. */
async function measure(fn, inFlight, seconds) {
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  const loop = async () => {
    while (performance.now() < end) {
      await fn();
      calls++;
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const used = process.cpuUsage(cpu);
  return {
    rate: calls / ((performance.now() - start) / 1000),
    cpu: (used.user + used.system) / Math.max(calls, 1),
  };
}

process.on('message', ({ op, inFlight, seconds }) => {
  const fn = ops[op];
  if (!fn) throw new Error(`unknown operation ${op}`);
  measure(fn, inFlight, seconds).then((result) => process.send(result));
});
