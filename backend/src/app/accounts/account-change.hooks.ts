import { Injectable, Logger } from '@nestjs/common';
import { ChangeHooks } from '@app/common/change-hooks';

/**
 * Modules whose answers depend on account values (issues: the cluster list's cached impact) register here to hear
 * that they changed: the accounts module calls them without depending on them.
 */
@Injectable()
export class AccountChangeHooks extends ChangeHooks {
  constructor() {
    super(new Logger(AccountChangeHooks.name), 'account change');
  }

  changed(): Promise<void> {
    return this.notify();
  }
}
