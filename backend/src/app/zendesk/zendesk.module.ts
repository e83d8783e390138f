import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ZendeskClient } from './client';
import { SyncState } from './entities/sync-state.entity';
import { TicketComment } from './entities/ticket-comment.entity';
import { Ticket } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';
import { TicketImportService } from './import/ticket-import.service';
import { TicketStore } from './ticket-store.service';
import { TicketsController } from './tickets.controller';
import { ZendeskConnectionController } from './zendesk-connection.controller';
import { TicketsService } from './tickets.service';
import { TicketSyncService } from './ticket-sync.service';
import { ZENDESK_CLIENT } from './zendesk.constants';

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketComment, ZendeskUser, ZendeskOrganization, SyncState])],
  providers: [
    {
      provide: ZENDESK_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ZendeskClient | null => {
        const z = config.zendesk;
        if (!z.configured || !z.apiUrl) return null;
        return new ZendeskClient({
          baseUrl: z.apiUrl,
          auth: z.oauthToken ? { oauthToken: z.oauthToken } : { email: z.email!, apiToken: z.apiToken! },
          requestsPerMinute: z.rateLimit,
          timeScale: z.timeScale,
        });
      },
    },
    TicketStore,
    TicketSyncService,
    TicketsService,
    TicketImportService,
  ],
  controllers: [TicketsController, ZendeskConnectionController],
  exports: [ZENDESK_CLIENT, TicketStore, TicketSyncService, TicketsService, TicketImportService],
})
export class ZendeskModule {}
