import { Injectable, OnModuleInit } from '@nestjs/common';
import { TicketChangeHooks } from '@app/tickets/ticket-change.hooks';
import { IssuesCacheService } from './issues-cache.service';

/**
 * When tickets leave the lists (deleted, scrubbed or merged in Zendesk), every cached answer is read fresh at once:
 * the ticket list, and the issue and cluster lists, whose summaries and quotes a scrub purges.
 */
@Injectable()
export class TicketChangesListener implements OnModuleInit {
  constructor(
    private readonly hooks: TicketChangeHooks,
    private readonly cache: IssuesCacheService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(() => this.cache.invalidate());
  }
}
