// `webhooks`, as stripe-node's `stripe.webhooks` (see webhooks.js).
import type { Event } from './types';

export interface WebhookTestHeaderOptions {
  /** The payload to sign, as it will be sent. */
  payload: string | Uint8Array;
  /** The endpoint's secret (`whsec_...`). */
  secret: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
}

export interface Webhooks {
  /** 300: how old, in seconds, a signature may be by default. */
  readonly DEFAULT_TOLERANCE: number;
  /**
   * Verifies `header` (`Stripe-Signature`) against the raw `payload` and `secret` and returns the
   * event. Throws `StripeSignatureVerificationError` when it does not verify; `tolerance` 0 turns
   * the age check off.
   */
  constructEvent(
    payload: string | Uint8Array,
    header: string | Uint8Array | undefined | null,
    secret: string,
    tolerance?: number,
  ): Event;
  /** `t=<timestamp>,v1=<hex>` for a payload, to test a handler. */
  generateTestHeaderString(opts: WebhookTestHeaderOptions): string;
  readonly signature: {
    /** Verifies a header without reading the event; `true`, or throws. */
    verifyHeader(
      payload: string | Uint8Array,
      header: string | Uint8Array,
      secret: string,
      tolerance?: number,
    ): boolean;
  };
}

export declare const webhooks: Webhooks;
