// stripe-identity for Node: the native classes (native.d.ts, generated from the Rust sources),
// the error classes (errors.d.ts) and the wire types (types.d.ts).
import type { Event, VerificationReport, VerificationSession, WebhookEndpoint } from './types';

export {
  Client,
  Identity,
  VerificationSessions,
  VerificationReports,
  Events,
  EventListAutoPaging,
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
export { webhooks } from './webhooks';

// index.js makes every ListAutoPaging async-iterable over the objects of its pages.
declare module './native' {
  interface ListAutoPaging extends AsyncIterable<VerificationSession> {}
  interface ReportListAutoPaging extends AsyncIterable<VerificationReport> {}
  interface WebhookEndpointListAutoPaging extends AsyncIterable<WebhookEndpoint> {}
  interface EventListAutoPaging extends AsyncIterable<Event> {}
  interface Client {
    /** `webhooks.constructEvent` and `webhooks.generateTestHeaderString`, as `stripe.webhooks`. */
    readonly webhooks: typeof import('./webhooks').webhooks;
    /**
     * Calls `handler` with each new event of a local client (`Client.local()`), on the JavaScript
     * thread, soon after the request that caused it (not necessarily before its Promise settles).
     * A handler that throws is reported with `process.emitWarning`. Throws `TypeError` on an
     * HTTP client: list events or receive webhooks there.
     */
    onEvent(handler: (event: Event) => void): void;
  }
}
