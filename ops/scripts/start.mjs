// `npm start`: builds whatever has not been built yet, then starts the product (zero-config unless DATABASE_URL,
// REDIS_URL, … are set). `npm run migration:run` goes through here too (`start.mjs migrate`).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePgliteTemplate } from './pglite-template.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const backend = join(root, 'dist', 'backend');
const consoleIndex = join(root, 'dist', 'frontend', 'browser', 'index.html');
const mode = process.argv[2] ?? 'start';

const missing = [];
if (!existsSync(join(backend, 'main.js'))) missing.push('backend');
if (mode === 'start' && !existsSync(consoleIndex)) missing.push('frontend');
if (missing.length) {
  console.log(`Building ${missing.join(' and ')} (first start only)…`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...missing, '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
}

if (!process.env.DATABASE_URL) ensurePgliteTemplate(root);

const entry = mode === 'migrate' ? 'migrate.js' : process.env.PROCESS_ROLE === 'worker' ? 'worker.js' : 'main.js';
const child = spawn(process.execPath, [join(backend, entry)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
