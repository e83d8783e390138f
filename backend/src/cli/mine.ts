import 'reflect-metadata';
import { ConfigError } from '../app/config/app-config';
import { runMine } from './mine-command';

/** `npm run mine`: see mine-command.ts and ../shared/DESIGN.md "Offline CLI". */
runMine(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError
        ? `mine: ${error.message}\n`
        : `mine failed: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exit(1);
  },
);
