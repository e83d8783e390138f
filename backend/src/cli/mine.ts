import 'reflect-metadata';
import { exitOnFailure } from '@app/common/entry-point';
import { runMine } from './mine-command';

/** `npm run mine`: see mine-command.ts and ../shared/DESIGN.md "Offline CLI". */
runMine(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => process.exit(code), exitOnFailure('mine failed', 'mine: '));
