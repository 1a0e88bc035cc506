// stripe-identity for Node: the native classes (native.d.ts, generated from the Rust sources),
// the error classes (errors.d.ts) and the wire types (types.d.ts).
import type { VerificationReport, VerificationSession, WebhookEndpoint } from './types';

export {
  Client,
  Identity,
  VerificationSessions,
  VerificationReports,
  ListAutoPaging,
  ReportListAutoPaging,
  TestHelpers,
  TestHelpersIdentity,
  TestHelpersVerificationSessions,
  WebhookEndpoints,
  WebhookEndpointListAutoPaging,
} from './native';
export {
  ArgumentTypeError,
  RawErrorFields,
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
} from './errors';
export * from './types';

// index.js makes every ListAutoPaging async-iterable over the objects of its pages.
declare module './native' {
  interface ListAutoPaging extends AsyncIterable<VerificationSession> {}
  interface ReportListAutoPaging extends AsyncIterable<VerificationReport> {}
  interface WebhookEndpointListAutoPaging extends AsyncIterable<WebhookEndpoint> {}
}
