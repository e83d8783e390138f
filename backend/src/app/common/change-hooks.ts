import { Logger } from '@nestjs/common';
import { errorMessage } from './errors';

/**
 * Callbacks another module registers to hear of a committed change, so the module that makes the change calls them
 * without depending on theirs (the direction rule). A hook's failure is logged with what changed, never the caller's.
 */
export abstract class ChangeHooks {
  private readonly hooks: Array<() => Promise<void>> = [];

  protected constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  register(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  protected async notify(): Promise<void> {
    for (const hook of this.hooks)
      await hook().catch((error: unknown) => this.logger.warn(`${this.what} hook failed: ${errorMessage(error)}`));
  }
}
