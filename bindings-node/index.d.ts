// stripe-identity for Node: the native classes (native.d.ts, generated from the Rust sources),
// the error classes (errors.d.ts), the wire types (types.d.ts), and the default export
// `StripeIdentity` (stripe.d.ts), the drop-in for stripe-node's `Stripe`
// (`import StripeIdentity from 'stripe-identity'`).
import type {
  ApiListPromise,
  Event,
  VerificationReport,
  VerificationSession,
  WebhookEndpoint,
} from './types';

type AutoPagingMethods<T> = Pick<ApiListPromise<T>, 'autoPagingEach' | 'autoPagingToArray'>;

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
export { StripeConfig, StripeErrors, StripeIdentityConstructor } from './stripe';
import { StripeIdentity } from './stripe';
export { StripeIdentity, StripeIdentity as Stripe };
export * as errors from './errors';
export default StripeIdentity;

// index.js makes every ListAutoPaging async-iterable over the objects of its pages.
declare module './native' {
  interface ListAutoPaging extends AsyncIterable<VerificationSession> {}
  interface ReportListAutoPaging extends AsyncIterable<VerificationReport> {}
  interface WebhookEndpointListAutoPaging extends AsyncIterable<WebhookEndpoint> {}
  interface EventListAutoPaging extends AsyncIterable<Event> {}
  // index.js gives every pager the auto-paging methods of `list()`.
  interface ListAutoPaging extends AutoPagingMethods<VerificationSession> {}
  interface ReportListAutoPaging extends AutoPagingMethods<VerificationReport> {}
  interface WebhookEndpointListAutoPaging extends AutoPagingMethods<WebhookEndpoint> {}
  interface EventListAutoPaging extends AutoPagingMethods<Event> {}
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
