import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccountChangeHooks } from '@app/accounts/account-change.hooks';
import { IssuesCacheService } from './issues-cache.service';

/** When account values change, the cached cluster lists (their impact) are read fresh. */
@Injectable()
export class AccountChangesListener implements OnModuleInit {
  constructor(
    private readonly hooks: AccountChangeHooks,
    private readonly cache: IssuesCacheService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(() => this.cache.invalidate());
  }
}
