// The ESM entry point's declarations (index.mjs): index.d.ts's, with `StripeIdentity` as the
// default export (`import StripeIdentity from 'stripe-identity'`).
import { StripeIdentity } from './index.js';

export * from './index.js';
export default StripeIdentity;
