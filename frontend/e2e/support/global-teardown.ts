import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './global-setup';
import { stopServer } from './server';

export default async function globalTeardown(): Promise<void> {
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  await stopServer(state);
  rmSync(STATE_FILE, { force: true });
}
