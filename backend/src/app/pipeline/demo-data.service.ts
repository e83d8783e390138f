import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { DEMO_FILE, demoDatasetPath } from './demo-dataset';
import { StoredTotalsRepository } from './repositories/stored-totals.repository';
import { SyncService } from './sync.service';
import { errorMessage } from '@app/common/errors';

/**
 * Zero-config: when the database is empty and Zendesk is not configured, import the demo dataset once (as an
 * ordinary import run), so the console has something true to show. DEMO_DATA=false turns it off.
 */
@Injectable()
export class DemoDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly sync: SyncService,
    private readonly stored: StoredTotalsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || this.config.zendesk.configured || this.config.processRole === 'worker') return;
    if (!(await this.stored.empty())) return;
    const source = demoDatasetPath();
    if (!source) {
      this.logger.warn('demo dataset not found; starting empty');
      return;
    }
    try {
      // Read in place, by whichever process runs the import: it ships with every build, nothing to upload.
      const runId = await this.sync.startImport({ file: source }, DEMO_FILE, null, 'demo');
      this.logger.log(`importing the demo dataset (run ${runId}); set DEMO_DATA=false to start empty`);
    } catch (error) {
      this.logger.warn(`demo dataset not imported: ${errorMessage(error)}`);
    }
  }
}
