import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from '@app/common/errors';

/**
 * Modules that keep answers derived from the stored tickets (the response cache) register here to hear, after the
 * change committed, that tickets left the lists: deleted or scrubbed in Zendesk, or merged into another. Those must
 * disappear at once — a scrub's text too — not when the run that found them ends. Tickets added or changed by a run
 * show when its import phase ends. The tickets module calls the hooks without depending on their modules.
 */
@Injectable()
export class TicketChangeHooks {
  private readonly logger = new Logger(TicketChangeHooks.name);
  private readonly hooks: Array<() => Promise<void>> = [];

  register(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  /** Tickets left the lists (a committed change); a hook's failure is logged, never the caller's. */
  async removed(): Promise<void> {
    for (const hook of this.hooks)
      await hook().catch((error: unknown) => this.logger.warn(`ticket change hook failed: ${errorMessage(error)}`));
  }
}
