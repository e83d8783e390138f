import { PlannerStatistics } from '@app/database/table-maintenance';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TicketAnalysisMarks } from './analysis-marks.service';
import { TicketChangeHooks } from './ticket-change.hooks';
import { TicketScrubHooks } from './ticket-scrub.hooks';
import { TicketComment } from './entities/ticket-comment.entity';
import { Ticket } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';
import { TicketImportService } from './import/ticket-import.service';
import { CommentRepository } from './repositories/comment.repository';
import { CommentStagingRepository } from './repositories/comment-staging.repository';
import { PeopleRepository } from './repositories/people.repository';
import { TicketRepository } from './repositories/ticket.repository';
import { ThreadStore } from './thread-store.service';
import { TicketStore } from './ticket-store.service';
import { TicketsService } from './tickets.service';

const REPOSITORIES = [TicketRepository, CommentRepository, CommentStagingRepository, PeopleRepository];

/**
 * Tickets: the ticket, comment, user and organization tables (whether synced from Zendesk or imported from a
 * file), the stores that write them, the ticket queries, and file import. Every other module writes these tables
 * through this module's services; the repositories are exported for reads.
 */
/** Everything the module provides is what other modules may use (its repositories for reads and joins). */
const PROVIDERS = [
  ...REPOSITORIES,
  TicketStore,
  ThreadStore,
  TicketsService,
  TicketImportService,
  TicketAnalysisMarks,
  TicketScrubHooks,
  TicketChangeHooks,
  PlannerStatistics,
];

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketComment, ZendeskUser, ZendeskOrganization])],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class TicketsModule {}
