'use strict';
// `StripeIdentity`: the drop-in for stripe-node 23.1.0's `Stripe`, the module's default export.
// `new StripeIdentity(key, { host, port, protocol, apiVersion, maxNetworkRetries, timeout,
// stripeAccount })` takes stripe-node's settings and makes a `Client` (the same native client
// as `new Client(key, { baseUrl, ... })`); `StripeIdentity.local()` is one on the embedded
// simulator. Its services are the client's own objects, so both surfaces behave the same:
// `list()` auto-pages, every result has `lastResponse`, errors are the same classes.

const native = require('./native.js');
const errors = require('./errors.js');
const webhooks = require('./webhooks.js');

const DEFAULT_HOST = 'api.stripe.com';

// stripe-node's settings this package understands, and the Client option each one is.
const SETTINGS = {
  apiVersion: 'stripeVersion',
  maxNetworkRetries: 'maxNetworkRetries',
  timeout: 'timeout',
  stripeAccount: 'stripeAccount',
  // This package's own, beside stripe-node's (TLS is done here, not by an https.Agent).
  ca: 'ca',
  connectTimeout: 'connectTimeout',
};
// stripe-node settings about its own machinery (telemetry, app info, the TypeScript flag, the
// bodies of its 'response' events): accepted, with nothing to do here.
const IGNORED = ['telemetry', 'appInfo', 'typescript', 'emitEventBodies'];
const URL_PARTS = ['host', 'port', 'protocol'];

function refuse(param, message) {
  const error = new TypeError(message);
  error.param = param;
  return error;
}

/** stripe-node's `{ host, port, protocol }` as the Client's `baseUrl` (undefined: the default). */
function baseUrl(config) {
  const { host, port, protocol } = config;
  if (host === undefined && port === undefined && protocol === undefined) return undefined;
  if (host !== undefined && typeof host !== 'string')
    throw refuse('host', `host must be a string, got ${typeof host}`);
  if (port !== undefined && typeof port !== 'number' && typeof port !== 'string') {
    throw refuse('port', `port must be a number or a string, got ${typeof port}`);
  }
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') {
    throw refuse('protocol', `protocol must be 'http' or 'https', got ${JSON.stringify(protocol)}`);
  }
  // The URL itself is checked by the core (a malformed host or port is refused there).
  return `${protocol ?? 'https'}://${host ?? DEFAULT_HOST}${port === undefined ? '' : `:${port}`}`;
}

/** The Client options for stripe-node's config object; unknown keys are refused, as stripe-node does. */
function clientOptions(config) {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw refuse(
      'config',
      `config must be an object, got ${Array.isArray(config) ? 'array' : typeof config}`,
    );
  }
  const options = {};
  for (const key of Object.keys(config)) {
    if (config[key] === undefined || IGNORED.includes(key) || URL_PARTS.includes(key)) continue;
    const option = SETTINGS[key];
    if (option === undefined) {
      const known = [...URL_PARTS, ...Object.keys(SETTINGS), ...IGNORED];
      throw refuse(key, `Config object may only contain the following: ${known.join(', ')} (got ${key})`);
    }
    options[option] = config[key];
  }
  const url = baseUrl(config);
  if (url !== undefined) options.baseUrl = url;
  return options;
}

const CLIENT = Symbol('client');

/**
 * A Stripe Identity client shaped like stripe-node's `Stripe`. Callable without `new`, as
 * stripe-node's is.
 * @param {string} key a secret or restricted key (`sk_test_...`, `rk_...`)
 * @param {object} [config] `{ host, port, protocol, apiVersion, maxNetworkRetries, timeout, stripeAccount }`
 */
function StripeIdentity(key, config) {
  if (!new.target) return new StripeIdentity(key, config);
  this[CLIENT] = new native.Client(key, clientOptions(config));
}

/** The native client behind a StripeIdentity, as a StripeIdentity. */
function wrap(client) {
  const stripe = Object.create(StripeIdentity.prototype);
  stripe[CLIENT] = client;
  return stripe;
}

/**
 * A StripeIdentity on a fresh embedded simulator: no network, no key (the same as
 * `Client.local(options)`; `{ clock }` stops its clock at that unix time).
 */
StripeIdentity.local = function local(options) {
  return wrap(native.Client.local(options));
};

const proto = StripeIdentity.prototype;
// The services are the client's own objects (made afresh by each getter, as the client's are).
for (const name of ['identity', 'events', 'webhookEndpoints', 'testHelpers', 'isLocal']) {
  Object.defineProperty(proto, name, {
    configurable: true,
    get() {
      return this[CLIENT][name];
    },
  });
}
Object.defineProperty(proto, 'webhooks', { configurable: true, get: () => webhooks });
Object.defineProperty(proto, 'errors', { configurable: true, get: () => errors });
/** The `Client` this object wraps (the named-export surface, with the same services). */
Object.defineProperty(proto, 'client', {
  configurable: true,
  get() {
    return this[CLIENT];
  },
});

/** `onEvent(handler)` of a local client (see `Client#onEvent`). */
proto.onEvent = function onEvent(handler) {
  return this[CLIENT].onEvent(handler);
};

/**
 * `rawRequest(method, path, params?, options?)`, as stripe-node 23 has it: any endpoint, the
 * parameters encoded as every other call's. Resolves to the parsed body with `lastResponse`;
 * an error answer rejects with its `StripeError`.
 */
proto.rawRequest = async function rawRequest(method, path, params, options) {
  if (typeof method !== 'string') throw refuse('method', `method must be a string, got ${typeof method}`);
  const answer = await this[CLIENT]._rawRequest(method.toUpperCase(), path, params ?? undefined, options);
  const { body, statusCode, headers } = answer;
  if (body !== null && typeof body === 'object') {
    const last = { headers, statusCode, requestId: headers['request-id'] };
    for (const [field, header] of [
      ['apiVersion', 'stripe-version'],
      ['idempotencyKey', 'idempotency-key'],
      ['stripeAccount', 'stripe-account'],
    ]) {
      if (headers[header] !== undefined) last[field] = headers[header];
    }
    Object.defineProperty(body, 'lastResponse', { value: last, enumerable: false, writable: false });
  }
  return body;
};

StripeIdentity.errors = errors;
StripeIdentity.webhooks = webhooks;
StripeIdentity.DEFAULT_HOST = DEFAULT_HOST;

module.exports = { StripeIdentity };
