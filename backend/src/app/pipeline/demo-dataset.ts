import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled demo dataset: 398 generated tickets of a B2B SaaS with real recurring problems over 120 days. */
export const DEMO_FILE = 'demo-tickets.jsonl';

/** Where this process has the demo dataset (every process of a build has it: it ships with the bundle). */
export function demoDatasetPath(): string | null {
  // Next to the bundle (dist/backend/assets) when built; in the source tree under tests.
  const candidates = [
    join(__dirname, 'assets', 'demo', DEMO_FILE),
    join(__dirname, '..', '..', 'assets', 'demo', DEMO_FILE),
  ];
  return candidates.find((path) => existsSync(path)) ?? null;
}
