// New embedded databases (`npm start` without DATABASE_URL, `npm run mine`) start from a PGlite template instead of
// running initdb: ~3 s and ~300 MB of peak memory less. `npm run build` writes it; this makes it when it is missing,
// once, in a process of its own. Without it everything still works (initdb).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function ensurePgliteTemplate(root) {
  const backend = join(root, 'dist', 'backend');
  const script = join(backend, 'pglite-template.js');
  if (process.env.PGLITE_TEMPLATE || existsSync(join(backend, 'pglite-template.tar.gz')) || !existsSync(script)) return;
  try {
    execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    // Reported on stderr by the script; the database runs initdb instead.
  }
}
