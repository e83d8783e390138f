import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SyncService } from './sync.service';

/** The bundled demo dataset: 398 generated tickets of a B2B SaaS with real recurring problems over 120 days. */
const DEMO_FILE = 'demo-tickets.jsonl';

export function demoDatasetPath(): string | null {
  // Next to the bundle (dist/backend/assets) when built; in the source tree under tests.
  const candidates = [
    join(__dirname, 'assets', 'demo', DEMO_FILE),
    join(__dirname, '..', '..', 'assets', 'demo', DEMO_FILE),
  ];
  return candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * Zero-config: when the database is empty and Zendesk is not configured, import the demo dataset once (as an
 * ordinary import run), so the console has something true to show. DEMO_DATA=false turns it off.
 */
@Injectable()
export class DemoDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly sync: SyncService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || this.config.zendesk.configured || this.config.processRole === 'worker') return;
    const [{ tickets, runs }] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM runs)::int AS runs`,
    );
    if (tickets > 0 || runs > 0) return;
    const source = demoDatasetPath();
    if (!source) {
      this.logger.warn('demo dataset not found; starting empty');
      return;
    }
    const dir = join(this.config.dataDir, 'imports');
    await mkdir(dir, { recursive: true });
    const target = join(dir, DEMO_FILE);
    await copyFile(source, target);
    try {
      const runId = await this.sync.startImport(target, DEMO_FILE, null, 'demo');
      this.logger.log(`importing the demo dataset (run ${runId}); set DEMO_DATA=false to start empty`);
    } catch (error) {
      this.logger.warn(`demo dataset not imported: ${(error as Error).message}`);
    }
  }
}
