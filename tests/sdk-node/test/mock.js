'use strict';
// Starts identity-mock on a free loopback port and makes official stripe-node clients for it.
//
// The binary is $IDENTITY_MOCK if set, else <repo>/target/debug/identity-mock
// (tests/peers/node-sdk.sh builds it). Every server started here is stopped with SIGTERM
// (SIGKILL if it does not stop, and at exit whatever happens).

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const readline = require('node:readline');

const REPO = path.resolve(__dirname, '..', '..', '..');
// Which package the suite runs against (tests/peers/node-sdk.sh runs all three):
//   stripe      stripe-node 23.1.0 against identity-mock (the default);
//   ours-mock   this package's drop-in (`require('stripe-identity')` in place of `require('stripe')`)
//               against identity-mock;
//   ours-local  the same on its embedded simulator (`StripeIdentity.local()`), no server.
// The tests themselves are unchanged apart from taking `Stripe` from here; those that cannot run
// on a target are skipped by option, with the reason (`needs`), and listed in ../README.md.
const TARGET = process.env.SDK_NODE_TARGET || 'stripe';
if (!['stripe', 'ours-mock', 'ours-local'].includes(TARGET)) {
  throw new Error(`SDK_NODE_TARGET must be stripe, ours-mock or ours-local, got ${TARGET}`);
}
const OURS = TARGET !== 'stripe';
const LOCAL = TARGET === 'ours-local';
const Stripe = OURS ? require(path.join(REPO, 'bindings-node')) : require('stripe');

/**
 * `false` when the target can run a test that needs `what`, else the reason it cannot (for
 * `test(name, { skip: needs(...) }, fn)`: skipped by option, so nothing starts).
 */
function needs(what) {
  const reasons = {
    // A server process: its flags (faults, webhook delivery), its key checks.
    server:
      LOCAL &&
      'needs identity-mock itself (flags, key checks, webhook delivery); the local simulator has no server',
  };
  if (!(what in reasons)) throw new Error(`unknown need ${what}`);
  return reasons[what] || false;
}
const BINARY = process.env.IDENTITY_MOCK || path.join(REPO, 'target', 'debug', 'identity-mock');
const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const HELPERS = '/v1/test_helpers/identity/verification_sessions';
const LISTENING = /^identity-mock listening on ((https?):\/\/127\.0\.0\.1:(\d+))$/;

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** On `ours-local`: the same interface as a started server, over one embedded simulator. */
function startLocal(args) {
  if (args.length > 0) throw new Error(`a local simulator takes no server flags (${args.join(' ')})`);
  const stripe = Stripe.local();
  return Promise.resolve({
    url: 'local',
    port: null,
    stripe: () => stripe,
    stop: async () => 0,
  });
}

/** Starts identity-mock with extra arguments; resolves once it listens. */
function startMock(...args) {
  if (LOCAL) return startLocal(args);
  if (!fs.existsSync(BINARY)) {
    throw new Error(`${BINARY} not found: run \`cargo build -p stripe-identity-mock\` first`);
  }
  const child = spawn(BINARY, ['--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new Error(`identity-mock did not start in time: ${stderr}`)),
      30000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`identity-mock exited with ${code}: ${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = LISTENING.exec(line.trim());
      if (!match) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line ${JSON.stringify(line)}`));
        return;
      }
      const port = Number(match[3]);
      const protocol = match[2];
      resolve({
        url: match[1],
        port,
        /** An official client pointed at this server. */
        stripe(key = KEY, options = {}) {
          return new Stripe(key, { host: '127.0.0.1', port, protocol, ...options });
        },
        /** Stops with SIGTERM; resolves to the exit code. */
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
            const result = await exited;
            clearTimeout(timer);
            running.delete(child);
            return result.code;
          }
          running.delete(child);
          return child.exitCode;
        },
      });
    });
  });
}

/** A simulator control (submit, verify, fail, complete_redaction) through stripe.rawRequest. */
function control(stripe, id, action, params = {}) {
  return stripe.rawRequest('POST', `${HELPERS}/${id}/${action}`, params);
}

module.exports = { startMock, control, needs, Stripe, TARGET, KEY, HELPERS };
