import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer } from './server';

export const STATE_FILE = join(ROOT, 'tmp', 'e2e-server.json');

export default async function globalSetup(): Promise<void> {
  for (const built of ['dist/backend/main.js', 'dist/frontend/browser/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: the e2e target builds both apps first`);
  }
  const server = await startServer();
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  writeFileSync(
    STATE_FILE,
    JSON.stringify({ url: server.url, logFile: server.logFile, database: server.database, pid: server.process.pid }),
  );
  server.process.unref();
}
