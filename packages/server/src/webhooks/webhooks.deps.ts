// What the webhook use cases need from the outside world.
import type { Resolver } from '../inputs/address-policy.js';
import type { Store } from '../store/store.js';

export interface WebhooksDeps {
  store: Store;
  now: () => number;
  /** TEST ONLY (UMBRA_TEST_ALLOW_LOOPBACK_FETCH): receivers may be http:// on loopback. */
  allowLoopbackHttp: boolean;
  /** DNS resolver of the address check at create; the delivery re-checks on every attempt. */
  lookup: Resolver;
  /** Called after a retry made a delivery due, so the sender in this process looks at once. */
  onRetry: () => void;
}
