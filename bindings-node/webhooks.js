'use strict';
// `webhooks`, shaped like stripe-node's (`stripe.webhooks`): `constructEvent` verifies the
// `Stripe-Signature` header of a delivery and returns its event; `generateTestHeaderString`
// signs a payload for tests. Argument types are checked here (so napi's own errors never reach
// a user); every check of the signature is the Rust core's.

const native = require('./native.js');
const { StripeSignatureVerificationError } = require('./errors.js');

const DEFAULT_TOLERANCE = 300;

function isBytes(value) {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function asNative(value) {
  // A Uint8Array that is not a Buffer is viewed as one without copying.
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

function requireBytes(value, name) {
  const v = asNative(value);
  if (!isBytes(v)) {
    const error = new TypeError(
      `${name} must be a string or a Buffer, got ${value === null ? 'null' : typeof value}`,
    );
    error.param = name;
    throw error;
  }
  return v;
}

/**
 * Verifies `header` (the request's `Stripe-Signature`) against the raw `payload` (string or
 * Buffer, as received) and the endpoint's `secret`, then returns the event as a plain object.
 * A signature older than `tolerance` seconds (default 300) is refused; 0 turns the check off.
 * Throws `StripeSignatureVerificationError` (with `header` and `payload`) when it does not
 * verify, a `TypeError` for arguments of the wrong type or a verified body that is not an event.
 */
function constructEvent(payload, header, secret, tolerance = DEFAULT_TOLERANCE) {
  const body = requireBytes(payload, 'payload');
  if (Array.isArray(header)) {
    // Node gives repeated headers as an array; stripe-node refuses that too.
    throw new StripeSignatureVerificationError({
      message:
        'Unexpected: An array was passed as a header, which should not be possible for the stripe-signature header.',
      kind: 'signature_verification',
      header,
      payload: body,
    });
  }
  const sig = header === undefined || header === null ? '' : requireBytes(header, 'header');
  if (typeof secret !== 'string') {
    const error = new TypeError(`secret must be a string, got ${secret === null ? 'null' : typeof secret}`);
    error.param = 'secret';
    throw error;
  }
  if (
    tolerance !== undefined &&
    tolerance !== null &&
    (typeof tolerance !== 'number' || !Number.isFinite(tolerance))
  ) {
    const error = new TypeError('tolerance must be a number of seconds');
    error.param = 'tolerance';
    throw error;
  }
  let text;
  try {
    text = native.__webhookConstructEvent(body, sig, secret, tolerance == null ? 0 : Math.floor(tolerance));
  } catch (e) {
    if (e instanceof StripeSignatureVerificationError) {
      e.payload = payload;
    }
    throw e;
  }
  return JSON.parse(text);
}

/**
 * The `Stripe-Signature` header for `payload` signed with `secret` at `timestamp` (unix
 * seconds; now by default): `t=<timestamp>,v1=<hex>`, as stripe-node's test helper makes it.
 */
function generateTestHeaderString(opts) {
  if (!opts || typeof opts !== 'object') {
    throw new TypeError('Options are required');
  }
  const payload = requireBytes(opts.payload, 'payload');
  if (typeof opts.secret !== 'string') {
    throw new TypeError('secret must be a string');
  }
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  if (typeof timestamp !== 'number') {
    throw new TypeError('timestamp must be a number of seconds');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    // The right type, a value that cannot be used: a RangeError, as the core's bad values.
    throw new RangeError('timestamp must be a whole number of seconds, 0 or more');
  }
  return native.__webhookSign(payload, opts.secret, timestamp);
}

/** Verifies a header without reading the event, as stripe-node's `webhooks.signature.verifyHeader`. */
function verifyHeader(payload, header, secret, tolerance = DEFAULT_TOLERANCE) {
  try {
    constructEvent(payload, header, secret, tolerance);
  } catch (e) {
    // A verified body that is not an event still verified.
    if (!(e instanceof TypeError && e.param === 'payload' && isBytes(asNative(payload)))) throw e;
  }
  return true;
}

const webhooks = { DEFAULT_TOLERANCE, constructEvent, generateTestHeaderString, signature: { verifyHeader } };

module.exports = webhooks;
module.exports.webhooks = webhooks;
