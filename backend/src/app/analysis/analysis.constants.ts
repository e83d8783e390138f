/** Realtime calls in flight at once. */
export const REALTIME_CONCURRENCY = 4;
/** Requests per submitted Message Batch (the API allows 100,000 or 256 MB). */
export const BATCH_CHUNK = 5000;
/** Batch polling: first wait, growth per poll, longest wait. */
export const BATCH_POLL = { firstMs: 1000, factor: 1.5, maxMs: 60_000 };
/** A batch not ended after this long is given up (the API expires requests after 24 h). */
export const BATCH_GIVE_UP_MS = 25 * 3600_000;
/** Tickets loaded from the database at a time. */
export const LOAD_PAGE = 200;
