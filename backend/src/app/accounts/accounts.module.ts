import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth/auth.module';
import { TicketsModule } from '@app/tickets/tickets.module';
import { AccountChangeHooks } from './account-change.hooks';
import { AccountFeedScheduler } from './account-feed.scheduler';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AccountRepository } from './repositories/account.repository';

/**
 * Accounts (issue 18): the commercial values of organizations (plan, ARR/MRR, seats, segment, renewal, owner) from
 * their Zendesk fields or a CSV feed, with their history. Below issues: issues reads them through
 * `account.filters.ts` and hears of changes through `AccountChangeHooks`.
 */
@Module({
  imports: [AuthModule, TicketsModule],
  controllers: [AccountsController],
  providers: [AccountRepository, AccountsService, AccountChangeHooks, AccountFeedScheduler],
  exports: [AccountsService, AccountChangeHooks],
})
export class AccountsModule {}
