import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { ZendeskClient } from './client';
import { SyncState } from './entities/sync-state.entity';
import { SyncStateRepository } from './repositories/sync-state.repository';
import { TicketsModule } from '@app/tickets/tickets.module';
import { ZendeskConnectionController } from './zendesk-connection.controller';
import { TicketSyncService } from './ticket-sync.service';
import { ZENDESK_CLIENT } from './zendesk.constants';

/** Zendesk: the API client and the incremental sync, which stores what it reads through the tickets module. */
@Module({
  imports: [TypeOrmModule.forFeature([SyncState]), TicketsModule],
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
    SyncStateRepository,
    TicketSyncService,
  ],
  controllers: [ZendeskConnectionController],
  exports: [ZENDESK_CLIENT, TicketSyncService],
})
export class ZendeskModule {}
