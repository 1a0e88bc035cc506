// ESM entry point: the same objects as index.js (`import { Client } from 'stripe-identity'`).
import cjs from './index.js';

export const {
  Client,
  Identity,
  VerificationSessions,
  Events,
  EventListAutoPaging,
  webhooks,
  ListAutoPaging,
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

export default cjs;
