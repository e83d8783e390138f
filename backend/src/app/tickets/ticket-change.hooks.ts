import { Injectable, Logger } from '@nestjs/common';
import { ChangeHooks } from '@app/common/change-hooks';

/**
 * Modules that keep answers derived from the stored tickets (the response cache) register here to hear, after the
 * change committed, that tickets left the lists: deleted or scrubbed in Zendesk, or merged into another. Those must
 * disappear at once — a scrub's text too — not when the run that found them ends. Tickets added or changed by a run
 * show when its import phase ends. The tickets module calls the hooks without depending on their modules.
 */
@Injectable()
export class TicketChangeHooks extends ChangeHooks {
  constructor() {
    super(new Logger(TicketChangeHooks.name), 'ticket change');
  }

  /** Tickets left the lists (a committed change). */
  removed(): Promise<void> {
    return this.notify();
  }
}
