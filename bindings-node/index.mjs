// ESM entry point: the same objects as index.js. The default export is `StripeIdentity`, the
// drop-in for stripe-node's default export (`import Stripe from 'stripe'`); the named exports
// are index.js's (`import { Client } from 'stripe-identity'`).
import cjs from './index.js';

export const {
  StripeIdentity,
  Client,
  Identity,
  VerificationSessions,
  VerificationReports,
  Events,
  EventListAutoPaging,
  webhooks,
  ListAutoPaging,
  ReportListAutoPaging,
  TestHelpers,
  TestHelpersIdentity,
  TestHelpersVerificationSessions,
  WebhookEndpoints,
  WebhookEndpointListAutoPaging,
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
} = cjs;

export const Stripe = cjs.StripeIdentity;
export const errors = cjs.errors;

export default cjs.StripeIdentity;
