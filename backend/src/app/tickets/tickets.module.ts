import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TicketAnalysisMarks } from './analysis-marks.service';
import { TicketComment } from './entities/ticket-comment.entity';
import { Ticket } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';
import { TicketImportService } from './import/ticket-import.service';
import { TicketStore } from './ticket-store.service';
import { TicketsService } from './tickets.service';

/**
 * Tickets: the ticket, comment, user and organization tables (whether synced from Zendesk or imported from a
 * file), the store that writes them, the ticket queries, and file import. Every other module reaches these tables
 * through this module's services.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketComment, ZendeskUser, ZendeskOrganization])],
  providers: [TicketStore, TicketsService, TicketImportService, TicketAnalysisMarks],
  exports: [TicketStore, TicketsService, TicketImportService, TicketAnalysisMarks],
})
export class TicketsModule {}
