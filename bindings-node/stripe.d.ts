// Declarations of stripe.js: `StripeIdentity`, the drop-in for stripe-node 23.1.0's `Stripe`.
import type { Client, Events, Identity, TestHelpers, WebhookEndpoints } from './native';
import type { Event, LocalOptions, Response } from './types';
import type * as errorClasses from './errors';
import type { Webhooks } from './webhooks';

/** stripe-node's settings (`new Stripe(key, config)`), those this package understands. */
export interface StripeConfig {
  /** Host of the API; `api.stripe.com` by default (`127.0.0.1` for identity-mock). */
  host?: string;
  port?: number | string;
  /** `https` by default. */
  protocol?: 'http' | 'https';
  /** `Stripe-Version` of every request. */
  apiVersion?: string;
  /** Retries of a request that failed on the network or got 409, 429 or 5xx; 2 by default. */
  maxNetworkRetries?: number;
  /** Timeout of one attempt, in milliseconds; 80000 by default. */
  timeout?: number;
  /** `Stripe-Account` of every request. */
  stripeAccount?: string;
  /** PEM certificates to trust for HTTPS instead of the bundled roots (this package's own). */
  ca?: string | Uint8Array;
  /** Connect timeout of one attempt, in milliseconds (this package's own). */
  connectTimeout?: number;
  /** Accepted for stripe-node compatibility; nothing to do here. */
  telemetry?: boolean;
  /** Accepted for stripe-node compatibility; nothing to do here. */
  appInfo?: { name: string; version?: string; url?: string; partner_id?: string };
  /** Accepted for stripe-node compatibility; nothing to do here. */
  typescript?: true;
  /** Accepted for stripe-node compatibility; nothing to do here (there are no 'response' events). */
  emitEventBodies?: boolean;
}

/** The error classes, as `Stripe.errors` / `stripe.errors`. */
export type StripeErrors = typeof errorClasses;

export interface StripeIdentity {
  /** `stripe.identity.verificationSessions`, `stripe.identity.verificationReports`. */
  readonly identity: Identity;
  /** `stripe.events`: `retrieve`, `list`. */
  readonly events: Events;
  /** `stripe.webhookEndpoints`: `create`, `retrieve`, `update`, `list`, `del`. */
  readonly webhookEndpoints: WebhookEndpoints;
  /** The simulator's controls (local client and identity-mock). */
  readonly testHelpers: TestHelpers;
  /** `constructEvent`, `generateTestHeaderString`, as `stripe.webhooks`. */
  readonly webhooks: Webhooks;
  readonly errors: StripeErrors;
  /** Whether this client runs on the embedded simulator. */
  readonly isLocal: boolean;
  /** The `Client` behind this object (the same services). */
  readonly client: Client;
  /** Each new event of a local client (see `Client#onEvent`). */
  onEvent(handler: (event: Event) => void): void;
  /** Any endpoint, as stripe-node's `rawRequest`: the parsed answer with its `lastResponse`. */
  rawRequest(
    method: string,
    path: string,
    params?: Record<string, unknown>,
    options?: { idempotencyKey?: string; stripeAccount?: string; apiVersion?: string },
  ): Promise<Response<any>>;
}

export interface StripeIdentityConstructor {
  new (apiKey: string, config?: StripeConfig): StripeIdentity;
  (apiKey: string, config?: StripeConfig): StripeIdentity;
  readonly prototype: StripeIdentity;
  /** A client on a fresh embedded simulator: no network, no key. */
  local(options?: LocalOptions): StripeIdentity;
  readonly errors: StripeErrors;
  readonly webhooks: Webhooks;
  readonly DEFAULT_HOST: string;
}

export declare const StripeIdentity: StripeIdentityConstructor;
