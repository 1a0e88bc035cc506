// Declarations of errors.js: the error classes, shaped like stripe-node's.

/** The raw fields of an error, as the native module gathers them. */
export interface RawErrorFields {
  /** The core's classification: `invalid_request`, `authentication`, `permission`, `rate_limit`,
   * `idempotency`, `card`, `api`, `api_connection`, `invalid_argument`, `invalid_type`, `decode`, `internal`. */
  kind: string;
  message: string;
  /** The API's `error.type` (`invalid_request_error`, `idempotency_error`, ...). */
  type?: string;
  code?: string;
  param?: string;
  doc_url?: string;
  statusCode?: number;
  requestId?: string;
  /** The whole answer body, `{ error: { ... } }`. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A `TypeError` for an argument refused before anything was sent, naming it. */
export interface ArgumentTypeError extends TypeError {
  /** The parameter at fault, as the API names it (`metadata`, `options[document]`, `id`). */
  param?: string;
}

/** The base class of every error the API (or the network) gives. */
export declare class StripeError extends Error {
  constructor(raw?: Partial<RawErrorFields>, type?: string | null);
  /** The class name: `'StripeInvalidRequestError'`, ... */
  readonly type: string;
  /** Every raw field. */
  readonly raw: Partial<RawErrorFields>;
  /** The API's `error.type` (`'invalid_request_error'`, ...); `undefined` when no answer came. */
  readonly rawType?: string;
  /** The API's `error.code` (`'resource_missing'`, ...). */
  readonly code?: string;
  /** A link to the documentation of `code`. */
  readonly doc_url?: string;
  /** The parameter at fault. */
  readonly param?: string;
  /** The answer's headers (lower-case names); `undefined` when no answer came. */
  readonly headers?: Record<string, string>;
  /** Details of the error, where the API gives them. */
  readonly detail?: unknown;
  /** A message for the end user, where the API gives one (`error.user_message`). */
  readonly userMessage?: string;
  readonly user_message?: string;
  readonly advice_code?: string;
  readonly charge?: string;
  readonly decline_code?: string;
  readonly network_advice_code?: string;
  readonly network_decline_code?: string;
  readonly payment_intent?: unknown;
  readonly payment_method?: unknown;
  readonly payment_method_type?: string;
  readonly request_log_url?: string;
  readonly setup_intent?: unknown;
  readonly source?: unknown;
  /** `Request-Id` of the answer. */
  readonly requestId?: string;
  /** HTTP status of the answer. */
  readonly statusCode?: number;
  /** Turns raw fields into an instance of their class. */
  static generate(raw: RawErrorFields): StripeError | ArgumentTypeError;
}
/** A card could not be charged (402). */
export declare class StripeCardError extends StripeError {}
/** The request was refused: bad parameters, an unknown id, a state that forbids it (400, 404). */
export declare class StripeInvalidRequestError extends StripeError {}
/** Any other error of the API (409, 5xx, an answer that is not an error object). */
export declare class StripeAPIError extends StripeError {}
/** The API key was refused (401). */
export declare class StripeAuthenticationError extends StripeError {}
/** The key may not do this (403). */
export declare class StripePermissionError extends StripeError {}
/** Too many requests too fast (429). */
export declare class StripeRateLimitError extends StripeError {}
/** The network failed: no usable answer arrived after every retry. */
export declare class StripeConnectionError extends StripeError {}
/** A webhook signature did not verify. */
export declare class StripeSignatureVerificationError extends StripeError {
  /** The `Stripe-Signature` header that failed, as given. */
  header?: unknown;
  /** The payload it was checked against, as given. */
  payload?: unknown;
}
/** An idempotency key was reused with other parameters. */
export declare class StripeIdempotencyError extends StripeError {}

/** Turns raw fields into an instance of their class (`TypeError` for `invalid_type`, `RangeError` for `invalid_argument`). */
export declare function generate(raw: RawErrorFields): StripeError | ArgumentTypeError;
