// `npm run mine -- --input FILE --output OUT.jsonl …`: builds the backend if `dist/backend/mine.js` is missing,
// then runs the offline CLI with the arguments after `--` (see ../shared/DESIGN.md "Offline CLI").
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePgliteTemplate } from './pglite-template.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'dist', 'backend', 'mine.js');
if (!existsSync(entry)) {
  process.stderr.write('Building the backend (first run only)…\n');
  execFileSync('npx', ['nx', 'run', 'backend:build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
}
ensurePgliteTemplate(root);
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
