import { createHash } from 'node:crypto';

/**
 * Internal ids of tickets whose file id is not a Zendesk id (`TCK-1042`, `banking_0001`, a uuid) live in
 * [2^52, 2^53): far above any Zendesk ticket id (Zendesk numbers tickets per account from 1; the busiest accounts
 * are in the tens of millions) and still exact JavaScript numbers, so every API, route and bigint column takes them.
 */
export const MAPPED_ID_MIN = 2 ** 52;

/** A file id that is not a Zendesk id: letters, digits and `-_.:/#@+`, with at least one digit (a key, not a word). */
export const ORIGINAL_ID = /^(?=[^\d]*\d)[A-Za-z0-9][A-Za-z0-9_.:/#@+-]{0,127}$/;

/**
 * The internal id of an original id: sha256 of the id (and of the attempt, after a collision) into the reserved
 * range. The same original id gives the same internal id in every database; `TicketStore.mapOriginalIds` keeps one
 * already stored and probes the next attempt when another ticket holds the id.
 */
export function mappedTicketId(originalId: string, attempt = 0): number {
  const hash = createHash('sha256')
    .update(attempt ? `${originalId}\u0000${attempt}` : originalId)
    .digest();
  return MAPPED_ID_MIN + Number(hash.readBigUInt64BE(0) >> 12n);
}
