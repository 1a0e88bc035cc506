'use strict';
// The error classes of stripe-identity, shaped like stripe-node's (src/Error.ts): the same
// class names, `type`, `raw`, `rawType`, `code`, `doc_url`, `param`, `requestId`, `statusCode`.
//
// The native module never picks a class: it hands the raw fields of a core error to
// `generate(raw)` below, the one place that turns them into an instance. `raw.kind` is the
// core's classification (status and `error.type`, as the official SDKs classify), made once in
// Rust for every language.

// The fields of the API's error object that stripe-node 23.1.0 copies onto its errors.
const STRIPE_ERROR_FIELDS = [
  'advice_code',
  'charge',
  'code',
  'decline_code',
  'doc_url',
  'network_advice_code',
  'network_decline_code',
  'param',
  'payment_intent',
  'payment_method',
  'payment_method_type',
  'request_log_url',
  'setup_intent',
  'source',
  'user_message',
];

/** The base class of every error the API (or the network) gives. */
class StripeError extends Error {
  /**
   * @param {object} [raw] the raw fields: message, type, code, param, doc_url, statusCode,
   *   requestId, body (the whole `{"error": {...}}` body), kind
   * @param {string} [type] the class name, as stripe-node sets it
   */
  constructor(raw = {}, type = null) {
    super(raw.message);
    // The fields of the answer's `error` object that the raw fields do not name (stripe-node's
    // raw is that object itself, plus statusCode, requestId and headers).
    const sent =
      raw.body && typeof raw.body.error === 'object' && raw.body.error !== null ? raw.body.error : {};
    const field = (name) => raw[name] ?? sent[name];
    this.type = type || this.constructor.name;
    this.raw = raw;
    this.rawType = raw.type;
    this.detail = raw.detail;
    this.headers = raw.headers;
    this.requestId = raw.requestId;
    this.statusCode = raw.statusCode;
    this.message = raw.message ?? '';
    this.userMessage = field('user_message');
    // The same fields as stripe-node's (generated there from the OpenAPI spec's error object);
    // `undefined` where the answer has none.
    for (const name of STRIPE_ERROR_FIELDS) {
      this[name] = field(name);
    }
  }
}
// Errors print as `StripeInvalidRequestError: No such verification_session: ...`.
Object.defineProperty(StripeError.prototype, 'name', {
  get() {
    return this.type;
  },
  configurable: true,
});

/** A card could not be charged (HTTP 402). */
class StripeCardError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeCardError');
  }
}

/** The request was refused: bad parameters, an unknown id, a state that forbids it (400, 404). */
class StripeInvalidRequestError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeInvalidRequestError');
  }
}

/** Any other error answered by the API (409, 5xx, or an answer that is not an error object). */
class StripeAPIError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeAPIError');
  }
}

/** The API key was refused (401). */
class StripeAuthenticationError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeAuthenticationError');
  }
}

/** The key may not do this (403). */
class StripePermissionError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripePermissionError');
  }
}

/** Too many requests too fast (429, or 400 with code `rate_limit`). */
class StripeRateLimitError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeRateLimitError');
  }
}

/** The network failed: no usable answer arrived after every retry. */
class StripeConnectionError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeConnectionError');
  }
}

/** A webhook signature did not verify. */
class StripeSignatureVerificationError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeSignatureVerificationError');
    /** The `Stripe-Signature` header that failed, as given. */
    this.header = raw.header;
    /** The payload it was checked against, as given. */
    this.payload = raw.payload;
  }
}

/** An idempotency key was reused with other parameters (or another endpoint). */
class StripeIdempotencyError extends StripeError {
  constructor(raw = {}) {
    super(raw, 'StripeIdempotencyError');
  }
}

/**
 * Turns the raw fields of a core error into an instance of its class. An argument refused
 * before anything was sent is a `TypeError` with `param` when its type is wrong (`kind`
 * `invalid_type`), and a `RangeError` with `param` when its value cannot be used (`kind`
 * `invalid_argument`: an empty id, a malformed key or URL, negative retries).
 * @param {object} raw
 * @returns {Error}
 */
function generate(raw) {
  switch (raw.kind) {
    case 'invalid_type': {
      const error = new TypeError(raw.message);
      error.param = raw.param;
      return error;
    }
    case 'invalid_argument': {
      const error = new RangeError(raw.message);
      error.param = raw.param;
      return error;
    }
    case 'invalid_request':
      return new StripeInvalidRequestError(raw);
    case 'authentication':
      return new StripeAuthenticationError(raw);
    case 'permission':
      return new StripePermissionError(raw);
    case 'rate_limit':
      return new StripeRateLimitError(raw);
    case 'idempotency':
      return new StripeIdempotencyError(raw);
    case 'card':
      return new StripeCardError(raw);
    case 'api_connection':
      return new StripeConnectionError(raw);
    case 'signature_verification':
      return new StripeSignatureVerificationError(raw);
    case 'internal':
      // A bug (a panic caught before it reached Node): still a StripeError, never napi's
      // GenericFailure.
      return new StripeError(raw);
    default:
      // `api`, `decode` (a success answer that is not what the API sends) and any kind added
      // later: stripe-node raises StripeAPIError for those.
      return new StripeAPIError(raw);
  }
}

StripeError.generate = generate;

module.exports = {
  generate,
  StripeError,
  StripeCardError,
  StripeInvalidRequestError,
  StripeAPIError,
  StripeAuthenticationError,
  StripePermissionError,
  StripeRateLimitError,
  StripeConnectionError,
  StripeSignatureVerificationError,
  StripeIdempotencyError,
};
