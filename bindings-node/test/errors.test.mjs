// Every error class, reached through the real HTTP path: a loopback server of this test answers
// the status and body each case needs (identity-mock gives the rest in operations.test.mjs).
// Also: arguments of the wrong type are TypeErrors naming the parameter, and napi's
// `GenericFailure` never reaches a caller.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'stripe-identity';
import {
  Client,
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
} from 'stripe-identity';
import { KEY, fakeStripe, startMock } from './support.mjs';

const errorBody = (error) => JSON.stringify({ error });
const SESSION = {
  id: 'vs_fake',
  object: 'identity.verification_session',
  client_reference_id: null,
  client_secret: null,
  created: 1700000000,
  last_error: null,
  last_verification_report: null,
  livemode: false,
  metadata: {},
  options: {},
  redaction: null,
  related_customer: null,
  related_customer_account: null,
  status: 'requires_input',
  type: 'document',
  url: null,
};

describe('HTTP answers become the SDK error classes', () => {
  const cases = [
    [
      401,
      { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' },
      StripeAuthenticationError,
    ],
    [403, { type: 'invalid_request_error', message: 'The key may not do this.' }, StripePermissionError],
    [402, { type: 'card_error', code: 'card_declined', message: 'Declined.' }, StripeCardError],
    [
      429,
      { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests.' },
      StripeRateLimitError,
    ],
    [
      400,
      {
        type: 'idempotency_error',
        message: 'Keys for idempotent requests can only be used with the same parameters.',
      },
      StripeIdempotencyError,
    ],
    [
      400,
      {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: 'foo',
        message: 'Received unknown parameter: foo',
      },
      StripeInvalidRequestError,
    ],
    [500, { type: 'api_error', message: 'Something went wrong.' }, StripeAPIError],
  ];
  for (const [status, error, Class] of cases) {
    test(`${status} ${error.type} → ${Class.name}`, async () => {
      const server = await fakeStripe(() => ({ status, text: errorBody(error) }));
      try {
        const client = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 0 });
        const err = await client.identity.verificationSessions.retrieve('vs_1').catch((e) => e);
        assert.ok(err instanceof Class, `${err}`);
        assert.ok(err instanceof StripeError);
        assert.ok(err instanceof Error);
        assert.equal(err.type, Class.name);
        assert.equal(err.name, Class.name);
        assert.equal(err.rawType, error.type);
        assert.equal(err.statusCode, status);
        assert.equal(err.code, error.code);
        assert.equal(err.param, error.param);
        assert.equal(err.message, error.message);
        assert.equal(err.requestId, 'req_fake123');
        assert.deepEqual(err.raw.body, { error });
      } finally {
        await server.close();
      }
    });
  }

  test('an answer that is not JSON is a StripeAPIError', async () => {
    const server = await fakeStripe(() => ({
      status: 502,
      headers: { 'content-type': 'text/html' },
      text: '<html>bad gateway</html>',
    }));
    try {
      const client = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 0 });
      const err = await client.identity.verificationSessions.list().catch((e) => e);
      assert.ok(err instanceof StripeAPIError, `${err}`);
      assert.equal(err.statusCode, 502);
      assert.match(err.message, /Invalid response body/);
    } finally {
      await server.close();
    }
  });

  test('a 200 answer that is not JSON is a StripeAPIError, not a SyntaxError', async () => {
    const server = await fakeStripe(() => ({ status: 200, text: '{"id": "vs_1", trailing' }));
    try {
      const client = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 0 });
      const err = await client.identity.verificationSessions.retrieve('vs_1').catch((e) => e);
      assert.ok(err instanceof StripeAPIError, `${err}`);
      assert.equal(err.statusCode, 200);
      assert.equal(err.raw.kind, 'decode');
    } finally {
      await server.close();
    }
  });

  test('no server at all is a StripeConnectionError, after the retries', async () => {
    const server = await fakeStripe(() => ({ text: '{}' }));
    const { url } = server;
    await server.close();
    const client = new Client(KEY, { baseUrl: url, maxNetworkRetries: 0, timeout: 2000 });
    const err = await client.identity.verificationSessions.create({ type: 'document' }).catch((e) => e);
    assert.ok(err instanceof StripeConnectionError, `${err}`);
    assert.equal(err.type, 'StripeConnectionError');
    assert.equal(err.statusCode, undefined);
    assert.equal(err.rawType, undefined);
  });

  test('request options and client options go out as headers, the key as Bearer', async () => {
    const server = await fakeStripe(() => ({ text: JSON.stringify(SESSION) }));
    try {
      const client = new Client(KEY, {
        baseUrl: server.url,
        stripeAccount: 'acct_client',
        stripeVersion: '2026-01-01.test',
        maxNetworkRetries: 0,
      });
      const vs = client.identity.verificationSessions;
      const s = await vs.create(
        {
          type: 'document',
          metadata: { a: '1' },
          options: { document: { allowed_types: ['passport', 'id_card'] } },
        },
        { idempotencyKey: 'key-1', stripeAccount: 'acct_request' },
      );
      assert.deepEqual(s, SESSION);
      await vs.retrieve('vs_a/b', { expand: ['verified_outputs'] });
      const [create, retrieve] = server.requests;
      assert.equal(create.method, 'POST');
      assert.equal(create.url, '/v1/identity/verification_sessions');
      assert.equal(create.headers.authorization, `Bearer ${KEY}`);
      assert.equal(create.headers['idempotency-key'], 'key-1');
      assert.equal(create.headers['stripe-account'], 'acct_request');
      assert.equal(create.headers['stripe-version'], '2026-01-01.test');
      assert.match(create.headers['user-agent'], /node/i);
      assert.equal(
        decodeURIComponent(create.body),
        'metadata[a]=1&options[document][allowed_types][0]=passport&options[document][allowed_types][1]=id_card&type=document',
      );
      assert.equal(retrieve.method, 'GET');
      assert.equal(
        decodeURIComponent(retrieve.url),
        '/v1/identity/verification_sessions/vs_a/b?expand[0]=verified_outputs',
      );
      assert.match(retrieve.url, /vs_a%2Fb/, 'an id cannot leave its path segment');
      assert.equal(retrieve.headers['stripe-account'], 'acct_client');
      assert.equal(retrieve.headers['idempotency-key'], undefined);
    } finally {
      await server.close();
    }
  });

  test('listAutoPaging fetches a page only when the loop needs it', async () => {
    let n = 0;
    // An endless list: eager pagination would never finish.
    const server = await fakeStripe(() => {
      n += 1;
      const data = [1, 2].map((i) => ({ ...SESSION, id: `vs_${n}_${i}` }));
      return {
        text: JSON.stringify({
          object: 'list',
          url: '/v1/identity/verification_sessions',
          has_more: true,
          data,
        }),
      };
    });
    try {
      const client = new Client(KEY, { baseUrl: server.url, maxNetworkRetries: 0 });
      const seen = [];
      for await (const s of client.identity.verificationSessions.listAutoPaging({ limit: 2 })) {
        seen.push(s.id);
        if (seen.length === 5) break;
      }
      assert.deepEqual(seen, ['vs_1_1', 'vs_1_2', 'vs_2_1', 'vs_2_2', 'vs_3_1']);
      assert.equal(server.requests.length, 3);
      assert.match(server.requests[1].url, /starting_after=vs_1_2/);
    } finally {
      await server.close();
    }
  });
});

describe('identity-mock faults', () => {
  test('429 → StripeRateLimitError; a dropped connection → StripeConnectionError', async () => {
    const limited = await startMock('--fault-rate', '1', '--faults', '429');
    const dropped = await startMock('--fault-rate', '1', '--faults', 'drop_before');
    try {
      const a = new Client(KEY, { baseUrl: limited.url, maxNetworkRetries: 0 });
      const err = await a.identity.verificationSessions.list().catch((e) => e);
      assert.ok(err instanceof StripeRateLimitError, `${err}`);
      assert.equal(err.statusCode, 429);
      const b = new Client(KEY, { baseUrl: dropped.url, maxNetworkRetries: 0 });
      const err2 = await b.identity.verificationSessions.list().catch((e) => e);
      assert.ok(err2 instanceof StripeConnectionError, `${err2}`);
    } finally {
      await limited.stop();
      await dropped.stop();
    }
  });

  test('a key identity-mock refuses → StripeAuthenticationError', async () => {
    const mock = await startMock();
    try {
      const client = new Client('pk_test_publishable', { baseUrl: mock.url, maxNetworkRetries: 0 });
      const err = await client.identity.verificationSessions.list().catch((e) => e);
      assert.ok(err instanceof StripeAuthenticationError, `${err}`);
      assert.equal(err.statusCode, 401);
    } finally {
      await mock.stop();
    }
  });
});

describe('arguments refused before sending: TypeError for a wrong type, RangeError for a bad value', () => {
  const client = Client.local();
  const vs = client.identity.verificationSessions;
  const helpers = client.testHelpers.identity.verificationSessions;

  const rejectsAs = async (Class, promise, param) => {
    assert.ok(promise instanceof Promise, 'an operation returns a Promise, even for bad arguments');
    const err = await promise.then(
      () => assert.fail(`expected a ${Class.name}`),
      (e) => e,
    );
    assert.ok(err instanceof Class, `${err && err.stack}`);
    assert.equal(err.param, param);
    assert.notEqual(err.code, 'GenericFailure');
    return err;
  };
  const rejects = (promise, param) => rejectsAs(TypeError, promise, param);
  const rejectsValue = (promise, param) => rejectsAs(RangeError, promise, param);

  test('parameters: checked by the core, named the API way', async () => {
    await rejects(vs.create({ type: 'document', metadata: 42 }), 'metadata');
    await rejects(
      vs.create({ type: 'document', options: { document: { require_id_number: 'yes' } } }),
      'options[document][require_id_number]',
    );
    await rejects(vs.list({ limit: 'ten' }), 'limit');
    await rejects(vs.list({ created: { gte: 'yesterday' } }), 'created');
    await rejectsValue(vs.list({ created: { after: 1 } }), 'created');
    await rejects(helpers.fail('vs_1', {}), 'code');
    await rejects(helpers.fail('vs_1'), 'code');
  });

  test('values JavaScript cannot send', async () => {
    await rejects(vs.create('document'), 'params');
    await rejects(vs.create([{ type: 'document' }]), 'params');
    const big = await rejects(vs.create({ type: 'document', metadata: { n: 10n } }), 'params');
    assert.match(big.message, /BigInt/);
    const cycle = { type: 'document' };
    cycle.self = cycle;
    await rejectsValue(vs.create(cycle), 'params');
    const deepCycle = { document: { allowed_types: [] } };
    deepCycle.document.allowed_types.push(deepCycle);
    await rejectsValue(vs.create({ type: 'document', options: deepCycle }), 'params');
  });

  test('values nested deeper than the core converts', async () => {
    const nest = (depth, wrap) => {
      let v = 'x';
      for (let i = 0; i < depth; i++) v = wrap(v);
      return v;
    };
    const wraps = [(v) => ({ a: v }), (v) => [v]];
    for (const wrap of wraps) {
      // The parameters object is level 1, so `options` may hold 31 levels.
      for (const depth of [32, 200, 100_000]) {
        const err = await rejectsValue(vs.create({ type: 'document', options: nest(depth, wrap) }), 'params');
        assert.match(err.message, /nested deeper than 32 levels|Maximum call stack size exceeded/);
      }
      // One level less is sent, and the API (here the simulator) judges it.
      const sent = await vs.create({ type: 'document', colour: nest(31, wrap) }).catch((e) => e);
      assert.ok(sent instanceof StripeInvalidRequestError, `${sent && sent.stack}`);
    }
    const page = await vs.list({ limit: 100 });
    assert.deepEqual(page.data, [], 'nothing was created');
  });

  test('ids and request options', async () => {
    await rejects(vs.retrieve(42), 'session');
    await rejects(vs.retrieve(), 'session');
    await rejects(vs.update(null, {}), 'session');
    await rejects(helpers.submit({ id: 'vs_1' }), 'session');
    await rejectsValue(vs.retrieve(''), 'session');
    await rejects(vs.create({ type: 'document' }, 'key'), 'opts');
    await rejects(vs.create({ type: 'document' }, { idempotencyKey: 42 }), 'idempotencyKey');
    const typo = await rejects(vs.create({ type: 'document' }, { idempotency_key: 'k' }), 'idempotency_key');
    assert.match(typo.message, /idempotencyKey/);
  });

  test('listAutoPaging checks its parameters at once', () => {
    assert.throws(
      () => vs.listAutoPaging({ limit: 'ten' }),
      (e) => e instanceof TypeError && e.param === 'limit',
    );
    assert.throws(
      () => vs.listAutoPaging(5),
      (e) => e instanceof TypeError && e.param === 'params',
    );
  });

  test('client settings: judged by the core, as in every language', () => {
    const throwsAs = (Class) => (fn, param) =>
      assert.throws(fn, (e) => e instanceof Class && e.param === param && e.code !== 'GenericFailure');
    const throwsType = throwsAs(TypeError);
    const throwsValue = throwsAs(RangeError);
    throwsType(() => new Client(42), 'apiKey');
    throwsType(() => new Client(), 'apiKey');
    throwsValue(() => new Client(''), 'apiKey');
    throwsValue(() => new Client('sk_test_ with space'), 'apiKey');
    throwsType(() => new Client(KEY, { timeout: '80s' }), 'timeout');
    throwsValue(() => new Client(KEY, { timeout: 0 }), 'timeout');
    throwsValue(() => new Client(KEY, { timeout: NaN }), 'timeout');
    throwsValue(() => new Client(KEY, { connectTimeout: -1 }), 'connectTimeout');
    throwsType(() => new Client(KEY, { connectTimeout: '1s' }), 'connectTimeout');
    throwsValue(() => new Client(KEY, { maxNetworkRetries: -1 }), 'maxNetworkRetries');
    throwsType(() => new Client(KEY, { maxNetworkRetries: 1.5 }), 'maxNetworkRetries');
    throwsType(() => new Client(KEY, { maxNetworkRetries: true }), 'maxNetworkRetries');
    throwsValue(() => new Client(KEY, { baseUrl: 'ftp://example' }), 'baseUrl');
    throwsType(() => new Client(KEY, { host: 'localhost' }), 'host');
    throwsType(() => new Client(KEY, 'options'), 'options');
    throwsType(() => Client.local({ clock: 'now' }), 'clock');
    throwsValue(() => Client.local().testHelpers.advanceClock(5), 'seconds');
    throwsValue(() => Client.local({ clock: 1700000000 }).testHelpers.advanceClock(1.5), 'seconds');
    // A key that cannot travel in a header is refused now, not as a connection error later.
    throwsValue(() => new Client('sk_test_caf\u00e9'), 'apiKey');
    // Credentials in a base URL are never echoed, and echoed values stay short.
    assert.throws(
      () => new Client(KEY, { baseUrl: 'http://user:hunter2@127.0.0.1:1' }),
      (e) => e instanceof RangeError && e.param === 'baseUrl' && !e.message.includes('hunter2'),
    );
    assert.throws(
      () => new Client(KEY, { baseUrl: `ftp://${'a'.repeat(600000)}` }),
      (e) => e instanceof RangeError && e.message.length < 400,
    );
    // null and undefined keep the defaults.
    assert.equal(new Client(KEY, { timeout: null, maxNetworkRetries: undefined }).isLocal, false);
  });

  test('an idempotency key that is not printable ASCII is refused before sending', async () => {
    const client = Client.local();
    const vs = client.identity.verificationSessions;
    for (const key of ['cl\u00e9', 'a\nb', '\u{1F600}']) {
      await assert.rejects(
        vs.create({ type: 'document' }, { idempotencyKey: key }),
        (e) => e instanceof RangeError && e.param === 'idempotency_key',
      );
    }
    assert.equal((await vs.list()).data.length, 0);
  });

  test('the manual clock stays between 1970 and 9999', async () => {
    const throwsType = (fn, param) => assert.throws(fn, (e) => e instanceof RangeError && e.param === param);
    const max = 253402300799; // 9999-12-31T23:59:59Z
    throwsType(() => Client.local({ clock: -1 }), 'clock');
    throwsType(() => Client.local({ clock: max + 1 }), 'clock');
    const client = Client.local({ clock: max - 60 });
    throwsType(() => client.testHelpers.advanceClock(61), 'seconds');
    throwsType(() => client.testHelpers.advanceClock(Number.MAX_SAFE_INTEGER), 'seconds');
    throwsType(() => client.testHelpers.advanceClock(-1), 'seconds');
    client.testHelpers.advanceClock(60);
    const s = await client.identity.verificationSessions.create({ type: 'document' });
    assert.equal(s.created, max, 'the refused steps left the clock where it was');
  });
});

describe('the package', () => {
  test('require and import give the same classes', () => {
    const cjs = createRequire(import.meta.url)('stripe-identity');
    assert.equal(cjs.Client, esm.Client);
    assert.equal(cjs.StripeError, esm.StripeError);
    assert.equal(esm.default.Client, esm.Client);
  });

  test('every error class of API.md is a StripeError subclass', () => {
    const classes = {
      StripeInvalidRequestError,
      StripeAuthenticationError,
      StripePermissionError,
      StripeRateLimitError,
      StripeIdempotencyError,
      StripeConnectionError,
      StripeAPIError,
      StripeSignatureVerificationError,
      StripeCardError,
    };
    for (const [name, Class] of Object.entries(classes)) {
      const e = new Class({
        message: 'm',
        type: 'x',
        code: 'c',
        param: 'p',
        statusCode: 400,
        requestId: 'req_1',
      });
      assert.ok(e instanceof StripeError && e instanceof Error, name);
      assert.equal(e.type, name);
      assert.deepEqual(
        [e.message, e.rawType, e.code, e.param, e.statusCode, e.requestId],
        ['m', 'x', 'c', 'p', 400, 'req_1'],
      );
    }
    assert.equal(typeof StripeError.generate, 'function');
  });

  test('Client called without new throws, as a class does', () => {
    for (const args of [[KEY], [], ['sk_test_123', { baseUrl: 'http://127.0.0.1:9' }]]) {
      assert.throws(
        () => Client(...args),
        (e) => e instanceof TypeError && /without 'new'/.test(e.message),
      );
    }
    const client = new Client(KEY);
    assert.ok(client instanceof Client && client instanceof esm.Client);
    assert.ok(Client.local() instanceof Client);
    assert.equal(Object.getPrototypeOf(client), Client.prototype);
  });

  test('the namespaces cannot be constructed from JavaScript', () => {
    assert.throws(() => new esm.VerificationSessions());
    assert.throws(() => new esm.Identity());
  });

  test('a local client says so; an HTTP one does not', () => {
    assert.equal(Client.local().isLocal, true);
    assert.equal(new Client(KEY).isLocal, false);
  });
});
