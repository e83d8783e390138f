import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from '@app/common/errors';

/**
 * Modules whose answers depend on account values (issues: the cluster list's cached impact) register here to hear
 * that they changed: the accounts module calls them without depending on them.
 */
@Injectable()
export class AccountChangeHooks {
  private readonly logger = new Logger(AccountChangeHooks.name);
  private readonly hooks: Array<() => Promise<void>> = [];

  register(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  async changed(): Promise<void> {
    for (const hook of this.hooks)
      await hook().catch((error: unknown) => this.logger.warn(`account change hook failed: ${errorMessage(error)}`));
  }
}
