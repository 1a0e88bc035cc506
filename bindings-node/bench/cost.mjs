// CPU per call of this package and of stripe-node 23.1.0, counted the same way for both:
// `perf stat` (software counters: this VM has no PMU, so no instruction counts) on a child
// process (bench/calls.mjs) making N1 and then N2 calls after a warm-up; the slope
// (count(N2) - count(N1)) / (N2 - N1) leaves start-up and warm-up out. Each row is measured
// ROUNDS times, the two clients alternated, and the median slope kept (timings swing here).
//
// Usage: node bench/cost.mjs BASE_URL SESSION_ID   (a running server: fixed-server or
// identity-mock). Environment: COST_N1 (default 1000), COST_N2 (5000), COST_ROUNDS (3),
// COST_OPS (retrieve,create,list(limit=10)), COST_IN_FLIGHT (1,16), PERF (/usr/bin/perf).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [baseUrl, id] = process.argv.slice(2);
if (!id) throw new Error('usage: node bench/cost.mjs BASE_URL SESSION_ID');
const N1 = Number(process.env.COST_N1 || 1000);
const N2 = Number(process.env.COST_N2 || 5000);
const ROUNDS = Number(process.env.COST_ROUNDS || 3);
const OPS = (process.env.COST_OPS || 'retrieve,create,list(limit=10)').split(',');
const IN_FLIGHT = (process.env.COST_IN_FLIGHT || '1,16').split(',').map(Number);
const PERF = process.env.PERF || '/usr/bin/perf';
const CALLS = fileURLToPath(new URL('calls.mjs', import.meta.url));
const EVENTS = ['task-clock', 'user_time', 'system_time', 'context-switches'];
const CLIENTS = { 'stripe-identity': undefined, 'stripe-node': 'stripe-node' };

/** The counters of one process making `n` calls: { event: value } (times in µs). */
function count(client, op, inFlight, n) {
  const out = path.join(os.tmpdir(), `stripe-identity-cost-${process.pid}.csv`);
  const env = { ...process.env };
  if (client) env.CALLS_CLIENT = client;
  else delete env.CALLS_CLIENT;
  const args = ['stat', '-x', ',', '-o', out, '-e', EVENTS.join(','), '--'];
  const run = spawnSync(
    PERF,
    [...args, process.execPath, CALLS, baseUrl, op, String(inFlight), String(n), id],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  if (run.status !== 0) throw new Error(`perf stat failed (${run.status}): ${run.stderr}`);
  const counts = {};
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    const [value, unit, event] = line.split(',');
    if (!EVENTS.includes(event)) continue;
    // task-clock is in ms, user_time and system_time in ns: all as µs.
    counts[event] = Number(value) * (unit === 'msec' ? 1000 : unit === 'ns' ? 1e-3 : 1);
  }
  fs.rmSync(out, { force: true });
  return counts;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `${baseUrl}, N1=${N1} N2=${N2}, median of ${ROUNDS} slopes, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  '| operation | in flight | client | task-clock µs/call | user µs/call | sys µs/call | context switches/call |',
);
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
for (const op of OPS) {
  for (const inFlight of IN_FLIGHT) {
    const slopes = Object.fromEntries(Object.keys(CLIENTS).map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, client] of Object.entries(CLIENTS)) {
        const a = count(client, op, inFlight, N1);
        const b = count(client, op, inFlight, N2);
        slopes[name].push(Object.fromEntries(EVENTS.map((e) => [e, (b[e] - a[e]) / (N2 - N1)])));
      }
    }
    for (const name of Object.keys(CLIENTS)) {
      const m = (e) => median(slopes[name].map((s) => s[e]));
      console.log(
        `| ${op} | ${inFlight} | ${name} | ${m('task-clock').toFixed(1)} | ${m('user_time').toFixed(1)} ` +
          `| ${m('system_time').toFixed(1)} | ${m('context-switches').toFixed(2)} |`,
      );
    }
  }
}
