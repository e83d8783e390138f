import { ConfigError } from '@app/config/app-config';

/**
 * Ends an entry point (server, worker, CLI) that failed: one line for a configuration problem, the stack for
 * anything unexpected, then exit code 1.
 */
export function exitOnFailure(what: string, configPrefix = ''): (error: unknown) => never {
  return (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError
        ? `${configPrefix}${error.message}\n`
        : `${what}: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exit(1);
  };
}
