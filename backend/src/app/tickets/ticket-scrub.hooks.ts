import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What another module does, in the scrub's own transaction, when tickets are scrubbed (redacted in Zendesk). */
export type ScrubHook = (ticketIds: number[], tx: EntityManager) => Promise<void>;

/**
 * Modules that keep text derived from tickets (analysis: summaries, quotes) register here to purge it with the
 * ticket: the tickets module calls them without depending on them.
 */
@Injectable()
export class TicketScrubHooks {
  private readonly hooks: ScrubHook[] = [];

  register(hook: ScrubHook): void {
    this.hooks.push(hook);
  }

  async run(ticketIds: number[], tx: EntityManager): Promise<void> {
    for (const hook of this.hooks) await hook(ticketIds, tx);
  }
}
