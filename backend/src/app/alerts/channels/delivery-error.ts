/**
 * A failed try of a delivery. `retryable`: a 5xx, a 429, a timeout or a connection failure (tried again with
 * backoff); anything else fails the delivery at once. The message never holds the channel's URL or secret.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly retryable: boolean,
    /** From a 429's Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
