// Runs every shared scenario file (tests/scenarios/*.json, format in its README.md) through
// the public JavaScript API, each scenario on a fresh `Client.local({ clock: 1700000000 })`.
//
// The runner is strict, as the format asks: an unknown key, an unknown op or a key the op does
// not take fails the file, never skips a step. SCENARIO=<text> runs only the files or
// scenarios whose name contains <text>.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Client,
  StripeError,
  StripeAPIError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConnectionError,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePermissionError,
  StripeRateLimitError,
} from 'stripe-identity';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'scenarios');
const START = 1700000000;
const FILTER = process.env.SCENARIO || '';

// ---------------------------------------------------------------------------------------------
// The format
// ---------------------------------------------------------------------------------------------

const OPS = new Set([
  'retrieve_report',
  'list_reports',
  'retrieve_event',
  'list_events',
  'create',
  'retrieve',
  'update',
  'list',
  'cancel',
  'redact',
  'submit',
  'verify',
  'fail',
  'complete_redaction',
  'advance_clock',
  'raw',
]);
const TAKES_ID = new Set([
  'retrieve_report',
  'retrieve_event',
  'retrieve',
  'update',
  'cancel',
  'redact',
  'submit',
  'verify',
  'fail',
  'complete_redaction',
]);
const REPORT_OPS = ['retrieve_report', 'list_reports', 'retrieve_event', 'list_events'];
const TAKES_PARAMS = new Set([
  'create',
  'retrieve',
  'update',
  'list',
  'cancel',
  'redact',
  'fail',
  ...REPORT_OPS,
]);
const TAKES_OPTIONS = new Set([
  'create',
  'retrieve',
  'update',
  'list',
  'cancel',
  'redact',
  'raw',
  ...REPORT_OPS,
]);
const STEP_KEYS = new Set([
  'op',
  'comment',
  'id',
  'params',
  'options',
  'seconds',
  'method',
  'path',
  'body',
  'repeat',
  'save',
  'expect',
  'absent',
  'non_null',
  'len',
  'not_equal',
  'prefix',
  'headers',
  'error',
]);
const SUCCESS_KEYS = ['expect', 'absent', 'non_null', 'len', 'not_equal', 'prefix', 'headers'];
const OPTION_KEYS = new Set(['idempotency_key', 'stripe_account', 'stripe_version']);
const ERROR_KEYS = new Set(['http_status', 'type', 'code', 'param', 'message_contains', 'kind']);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function unknownKeys(obj, allowed) {
  return Object.keys(obj).filter((k) => !allowed.has(k));
}

/** Every problem of a file: unknown keys, ops, and keys an op does not take. */
function problems(file) {
  const out = [];
  if (!isObject(file)) return ['the file is not an object'];
  for (const k of unknownKeys(file, new Set(['comment', 'scenarios']))) out.push(`unknown key \`${k}\``);
  if (!Array.isArray(file.scenarios) || file.scenarios.length === 0) out.push('the file has no scenarios');
  const names = new Set();
  for (const [si, sc] of (file.scenarios || []).entries()) {
    for (const k of unknownKeys(sc, new Set(['name', 'comment', 'steps'])))
      out.push(`scenarios[${si}]: unknown key \`${k}\``);
    if (typeof sc.name !== 'string') out.push(`scenarios[${si}] has no name`);
    if (names.has(sc.name)) out.push(`scenarios[${si}] repeats the name ${JSON.stringify(sc.name)}`);
    names.add(sc.name);
    if (!Array.isArray(sc.steps) || sc.steps.length === 0)
      out.push(`scenario ${JSON.stringify(sc.name)} has no steps`);
    for (const [i, step] of (sc.steps || []).entries()) {
      const where = `scenario ${JSON.stringify(sc.name)} steps[${i}]`;
      const refuse = (cond, what) => cond && out.push(`${where}: op \`${step.op}\` ${what}`);
      for (const k of unknownKeys(step, STEP_KEYS)) out.push(`${where}: unknown key \`${k}\``);
      if (!OPS.has(step.op)) {
        out.push(`${where}: unknown op ${JSON.stringify(step.op)}`);
        continue;
      }
      const op = step.op;
      refuse(TAKES_ID.has(op) && step.id === undefined, 'needs `id`');
      refuse(!TAKES_ID.has(op) && step.id !== undefined, 'takes no `id`');
      refuse(!TAKES_PARAMS.has(op) && step.params !== undefined, 'takes no `params`');
      refuse(step.params !== undefined && !isObject(step.params), 'needs `params` to be an object');
      refuse(!TAKES_OPTIONS.has(op) && step.options !== undefined, 'takes no `options`');
      refuse(
        isObject(step.options) && unknownKeys(step.options, OPTION_KEYS).length > 0,
        'has an unknown option',
      );
      refuse(
        (op === 'advance_clock') !== (step.seconds !== undefined),
        'needs `seconds` exactly when advance_clock',
      );
      refuse((op === 'raw') !== (step.method !== undefined), 'needs `method` exactly when raw');
      refuse((op === 'raw') !== (step.path !== undefined), 'needs `path` exactly when raw');
      refuse(op !== 'raw' && step.body !== undefined, 'takes no `body` (raw only)');
      refuse(op !== 'raw' && step.headers !== undefined, 'takes no `headers` expectation (raw only)');
      refuse(
        step.method !== undefined && !['GET', 'POST', 'DELETE'].includes(step.method),
        'has a `method` other than GET, POST or DELETE',
      );
      const expectsSuccess = SUCCESS_KEYS.some((k) => step[k] !== undefined);
      refuse(
        op === 'advance_clock' &&
          (step.save !== undefined ||
            step.repeat !== undefined ||
            step.error !== undefined ||
            expectsSuccess),
        'takes no expectations, `save` or `repeat`',
      );
      refuse(
        step.repeat !== undefined && !(Number.isInteger(step.repeat) && step.repeat >= 1),
        'needs `repeat` of at least 1',
      );
      refuse(
        step.error !== undefined && (expectsSuccess || step.save !== undefined),
        'cannot expect an `error` and also a success',
      );
      refuse(step.error !== undefined && !isObject(step.error), 'needs `error` to be an object');
      refuse(
        isObject(step.error) && unknownKeys(step.error, ERROR_KEYS).length > 0,
        'has an unknown `error` field',
      );
      refuse(step.expect !== undefined && !isObject(step.expect), 'needs `expect` to be an object');
      refuse(
        step.save !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(step.save),
        'needs `save` to be a name',
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

function walk(root, dotted) {
  if (dotted === '') return { found: true, value: root };
  let cur = root;
  for (const seg of dotted.split('.')) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg) || Number(seg) >= cur.length) return { found: false };
      cur = cur[Number(seg)];
    } else if (isObject(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

function lookup(reference, saved) {
  const dot = reference.indexOf('.');
  const [name, rest] = dot < 0 ? [reference, ''] : [reference.slice(0, dot), reference.slice(dot + 1)];
  if (!Object.hasOwn(saved, name))
    throw new Error(`reference \`$${reference}\`: nothing was saved as \`${name}\``);
  const got = walk(saved[name], rest);
  if (!got.found) throw new Error(`reference \`$${reference}\`: \`${rest}\` is not in \`${name}\``);
  return got.value;
}

function resolveString(s, saved) {
  if (s.startsWith('$$')) return s.slice(1);
  if (/^\$[A-Za-z_]/.test(s)) return lookup(s.slice(1), saved);
  if (!s.includes('${')) return s;
  return s.replace(/\$\{([^}]*)\}/g, (_, ref) => {
    const v = lookup(ref, saved);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
    throw new Error(`\`\${${ref}}\` is not a scalar: ${JSON.stringify(v)}`);
  });
}

function resolve(v, saved) {
  if (typeof v === 'string') return resolveString(v, saved);
  if (Array.isArray(v)) return v.map((x) => resolve(x, saved));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, saved)]));
  return v;
}

function resolveText(s, saved, what) {
  const v = resolveString(s, saved);
  if (typeof v !== 'string') throw new Error(`\`${what}\` resolved to ${JSON.stringify(v)}, not a string`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Running a step through the JavaScript API
// ---------------------------------------------------------------------------------------------

async function call(client, op, id, params, opts) {
  const vs = client.identity.verificationSessions;
  const helpers = client.testHelpers.identity.verificationSessions;
  switch (op) {
    case 'create':
      return { body: await vs.create(params, opts) };
    case 'retrieve':
      return { body: await vs.retrieve(id, params, opts) };
    case 'update':
      return { body: await vs.update(id, params, opts) };
    case 'list':
      return { body: await vs.list(params, opts) };
    case 'cancel':
      return { body: await vs.cancel(id, params, opts) };
    case 'redact':
      return { body: await vs.redact(id, params, opts) };
    case 'submit':
      return { body: await helpers.submit(id) };
    case 'verify':
      return { body: await helpers.verify(id) };
    case 'fail':
      return { body: await helpers.fail(id, params) };
    case 'complete_redaction':
      return { body: await helpers.completeRedaction(id) };
    case 'retrieve_report':
      return { body: await client.identity.verificationReports.retrieve(id, params, opts) };
    case 'list_reports':
      return { body: await client.identity.verificationReports.list(params, opts) };
    case 'retrieve_event':
      return { body: await client.events.retrieve(id, params, opts) };
    case 'list_events':
      return { body: await client.events.list(params, opts) };
    default:
      throw new Error(`not a typed op: ${op}`);
  }
}

/** The scenario `kind` of a JavaScript error: its class, as errors.js maps core kinds. */
function kindOf(e) {
  if (e instanceof TypeError) return 'invalid_type';
  if (e instanceof RangeError) return 'invalid_argument';
  if (e instanceof StripeIdempotencyError) return 'idempotency';
  if (e instanceof StripeInvalidRequestError) return 'invalid_request';
  if (e instanceof StripeAuthenticationError) return 'authentication';
  if (e instanceof StripePermissionError) return 'permission';
  if (e instanceof StripeRateLimitError) return 'rate_limit';
  if (e instanceof StripeCardError) return 'card';
  if (e instanceof StripeConnectionError) return 'api_connection';
  // StripeAPIError covers the core's `api` and `decode`; raw.kind tells them apart.
  if (e instanceof StripeAPIError) return e.raw.kind;
  return `not a StripeError or TypeError: ${e && e.constructor && e.constructor.name}`;
}

function describe(e) {
  return `${e && e.constructor && e.constructor.name} statusCode=${e.statusCode} rawType=${e.rawType} code=${e.code} param=${e.param} message=${JSON.stringify(e.message)}`;
}

const show = (v) => {
  const s = JSON.stringify(v);
  return s !== undefined && s.length > 120 ? `${s.slice(0, 120)}…` : s;
};

function checkError(want, e, diffs) {
  if (!(e instanceof StripeError || e instanceof TypeError || e instanceof RangeError)) {
    diffs.push(`expected a StripeError or TypeError, got ${describe(e)}\n${e && e.stack}`);
    return;
  }
  const field = (name, w, g) =>
    w !== g && diffs.push(`error.${name}: expected ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
  if ('http_status' in want) field('http_status', want.http_status, e.statusCode ?? 'none');
  if ('type' in want) field('type', want.type, e.rawType ?? 'none');
  if ('code' in want) field('code', want.code, e.code ?? null);
  if ('param' in want) field('param', want.param, e.param ?? null);
  if ('kind' in want) field('kind', want.kind, kindOf(e));
  if ('message_contains' in want && !String(e.message).includes(want.message_contains)) {
    diffs.push(
      `error.message: expected it to contain ${JSON.stringify(want.message_contains)}, got ${JSON.stringify(e.message)}`,
    );
  }
}

function subset(want, got, at, diffs) {
  const child = (k) => (at === '' ? String(k) : `${at}.${k}`);
  if (isObject(want) && isObject(got)) {
    for (const [k, wv] of Object.entries(want)) {
      if (Object.hasOwn(got, k)) subset(wv, got[k], child(k), diffs);
      else diffs.push(`${child(k)}: expected ${show(wv)}, but the key is absent`);
    }
  } else if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length !== got.length)
      diffs.push(`${at || '(root)'}: expected ${want.length} items, got ${got.length}: ${show(got)}`);
    want.forEach((wv, i) => i < got.length && subset(wv, got[i], child(i), diffs));
  } else if (!isDeepStrictEqual(want, got)) {
    diffs.push(`${at || '(root)'}: expected ${show(want)}, got ${show(got)}`);
  }
}

function isDeepStrictEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function checkAnswer(step, answer, saved, diffs) {
  const body = answer.body;
  if (step.expect !== undefined) subset(resolve(step.expect, saved), body, '', diffs);
  for (const p of step.absent || []) {
    const got = walk(body, p);
    if (got.found) diffs.push(`${p}: expected the key to be absent, got ${show(got.value)}`);
  }
  for (const p of step.non_null || []) {
    const got = walk(body, p);
    if (!got.found) diffs.push(`${p}: expected a non-null value, but the key is absent`);
    else if (got.value === null) diffs.push(`${p}: expected a non-null value, got null`);
  }
  for (const [p, n] of Object.entries(step.len || {})) {
    const got = walk(body, p);
    const size = !got.found
      ? undefined
      : Array.isArray(got.value)
        ? got.value.length
        : isObject(got.value)
          ? Object.keys(got.value).length
          : undefined;
    if (size !== n)
      diffs.push(`${p}: expected length ${n}, got ${size === undefined ? show(got.value) : size}`);
  }
  for (const [p, v] of Object.entries(step.not_equal || {})) {
    const other = resolve(v, saved);
    const got = walk(body, p);
    if (!got.found) diffs.push(`${p}: expected a value other than ${show(other)}, but the key is absent`);
    else if (isDeepStrictEqual(got.value, other))
      diffs.push(`${p}: expected a value other than ${show(other)}`);
  }
  for (const [p, prefix] of Object.entries(step.prefix || {})) {
    const want = resolveText(prefix, saved, 'prefix');
    const got = walk(body, p);
    if (!(got.found && typeof got.value === 'string' && got.value.startsWith(want))) {
      diffs.push(`${p}: expected a string starting with ${JSON.stringify(want)}, got ${show(got.value)}`);
    }
  }
  for (const [name, value] of Object.entries(step.headers || {})) {
    const want = value === null ? undefined : resolveText(value, saved, 'headers');
    const got = answer.headers[name.toLowerCase()];
    if (got !== want)
      diffs.push(`header ${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
}

async function runStep(client, step, saved) {
  if (step.op === 'advance_clock') {
    client.testHelpers.advanceClock(step.seconds);
    return;
  }
  const o = step.options || {};
  const opts = {};
  if (o.idempotency_key !== undefined)
    opts.idempotencyKey = resolveText(o.idempotency_key, saved, 'options.idempotency_key');
  if (o.stripe_account !== undefined)
    opts.stripeAccount = resolveText(o.stripe_account, saved, 'options.stripe_account');
  if (o.stripe_version !== undefined)
    opts.stripeVersion = resolveText(o.stripe_version, saved, 'options.stripe_version');
  const id = step.id === undefined ? undefined : resolveText(step.id, saved, 'id');
  const params = step.params === undefined ? undefined : resolve(step.params, saved);
  const answers = [];
  for (let round = 0; round < (step.repeat ?? 1); round++) {
    const label = step.repeat !== undefined ? `in repetition ${round}: ` : '';
    let answer;
    let error;
    try {
      if (step.op === 'raw') {
        const res = await client._rawRequest(
          step.method,
          resolveText(step.path, saved, 'path'),
          resolveText(step.body ?? '', saved, 'body'),
          opts,
        );
        answer = { body: res.body, headers: res.headers };
      } else {
        answer = await call(client, step.op, id, params, opts);
      }
    } catch (e) {
      error = e;
    }
    const diffs = [];
    if (step.error !== undefined) {
      if (error === undefined) diffs.push(`expected an error, but the call succeeded: ${show(answer.body)}`);
      else checkError(step.error, error, diffs);
    } else if (error !== undefined) {
      diffs.push(`unexpected error: ${describe(error)}`);
    } else {
      checkAnswer(step, answer, saved, diffs);
      if (diffs.length)
        diffs.push(`the whole answer was:\n${JSON.stringify(answer.body, null, 2).slice(0, 4000)}`);
      answers.push(answer.body);
    }
    if (diffs.length) throw new Error(`${label}${diffs.join('\n      - ')}`);
  }
  if (step.save !== undefined) saved[step.save] = step.repeat !== undefined ? answers : answers.pop();
}

async function runScenario(sc) {
  const client = Client.local({ clock: START });
  const saved = {};
  for (const [i, step] of sc.steps.entries()) {
    try {
      await runStep(client, step, saved);
    } catch (e) {
      const later = sc.steps.length - i - 1;
      throw new Error(
        `steps[${i}] (${step.op}) failed (${later} later steps not run):\n      - ${e.message}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the scenario files are there', () => {
  assert.ok(files.length >= 10, `only ${files.length} scenario files in ${DIR}`);
});

for (const name of files) {
  test(`scenarios: ${name}`, async (t) => {
    const file = JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
    const found = problems(file);
    assert.deepEqual(found, [], `${name} does not follow the scenario format`);
    for (const sc of file.scenarios) {
      if (FILTER && !name.includes(FILTER) && !sc.name.includes(FILTER)) continue;
      await t.test(sc.name, () => runScenario(sc));
    }
  });
}

test('the runner refuses a file that does not follow the format', () => {
  const bad = {
    scenarios: [
      { name: 'typo', steps: [{ op: 'create', parms: {} }] },
      { name: 'unknown op', steps: [{ op: 'delete', id: 'x' }] },
      { name: 'control with options', steps: [{ op: 'submit', id: 'x', options: {} }] },
      { name: 'both', steps: [{ op: 'create', error: {}, expect: {} }] },
    ],
  };
  const found = problems(bad);
  assert.equal(found.length, 4, found.join('\n'));
});
