import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { AppConfig } from '@app/config/app-config';
import { errorMessage } from '@app/common/errors';
import { APP_CONFIG } from '@app/config/config.module';
import { ANALYZER, Analyzer } from '../analyzer';
import { MODEL_PRICES } from '@app/llm/pricing/pricing';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { AppSetting } from './app-setting.entity';
import {
  ANALYSIS_MODES,
  ANALYSIS_SETTINGS_KEY,
  AnalysisOverrides,
  AnalysisSettingsChange,
  AnalysisSettingsView,
  EffectiveAnalysisSettings,
  MODEL_ID,
} from './analysis-settings.types';

/**
 * The analysis mode and model: the environment sets the defaults (ANALYSIS_MODE, ANALYSIS_MODEL), admins may
 * override them in the `app_setting` table. Read at the start of every analysis run.
 */
@Injectable()
export class AnalysisSettingsService {
  private readonly logger = new Logger(AnalysisSettingsService.name);
  private models: { ids: string[]; until: number } | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ANALYZER) private readonly analyzer: Analyzer,
    private readonly audit: AuditService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  async effective(): Promise<EffectiveAnalysisSettings> {
    const row = await this.dataSource.getRepository(AppSetting).findOneBy({ key: ANALYSIS_SETTINGS_KEY });
    return this.resolve(overrides(row?.value));
  }

  /** The effective settings, the analyzer in use and the models with a known price (never the API key). */
  async describe(): Promise<AnalysisSettingsView> {
    const [settings, taxonomy] = await Promise.all([this.effective(), this.taxonomy.get()]);
    return {
      ...settings,
      analyzer: this.analyzer.name,
      apiKeyConfigured: Boolean(this.config.analysis.apiKey),
      redaction: Object.values(taxonomy.redaction).some(Boolean),
      knownModels: await this.knownModels(),
    };
  }

  /**
   * With Claude, the models the API offers this key (asked at most every 10 minutes); otherwise, or when the API
   * cannot be reached, the models with a known price.
   */
  private async knownModels(): Promise<string[]> {
    const priced = MODEL_PRICES.models.map((m) => m.prefix);
    const offered = this.analyzer.models;
    if (!offered) return priced;
    if (this.models && this.models.until > Date.now()) return this.models.ids;
    try {
      const ids = await offered.list();
      this.models = { ids, until: Date.now() + 10 * 60_000 };
      return ids;
    } catch (error) {
      this.logger.warn(`could not list the Anthropic models: ${errorMessage(error)}`);
      return priced;
    }
  }

  /** Stores the given fields (the others keep their override or default) and audits the change. */
  async update(input: AnalysisSettingsChange, actor: AuthenticatedUser): Promise<EffectiveAnalysisSettings> {
    if (input.mode === undefined && input.model === undefined)
      throw new BadRequestException(['mode or model must be given']);
    // A model the API does not offer would only fail the next run: refuse it now. (An unreachable API does not
    // block the change; the run's own check reports it.)
    const offered = this.analyzer.models;
    if (typeof input.model === 'string' && offered) {
      const model = input.model;
      const exists = await offered.exists(model).catch((error: unknown) => {
        this.logger.warn(`could not check model ${model}: ${errorMessage(error)}`);
        return true;
      });
      if (!exists)
        throw new BadRequestException([`model "${input.model}" is not a model the Anthropic API offers this key`]);
    }
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(AppSetting);
      // Row lock: two admins saving at once apply one after the other, each audited against what it replaced.
      const row = await repo
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.key = :key', { key: ANALYSIS_SETTINGS_KEY })
        .getOne();
      const current = overrides(row?.value);
      const next: AnalysisOverrides = { ...current };
      if (input.mode === null) delete next.mode;
      else if (input.mode !== undefined) next.mode = input.mode;
      if (input.model === null) delete next.model;
      else if (input.model !== undefined) next.model = input.model;
      await repo
        .createQueryBuilder()
        .insert()
        .values({ key: ANALYSIS_SETTINGS_KEY, value: next, updatedBy: actor.id, updatedAt: () => 'now()' } as never)
        .orUpdate(['value', 'updated_at', 'updated_by'], ['key'])
        .execute();
      const before = this.resolve(current);
      const after = this.resolve(next);
      await this.audit.record(
        {
          actor,
          action: 'settings.analysis.update',
          entityType: 'settings',
          entityId: ANALYSIS_SETTINGS_KEY,
          before: { mode: before.mode, model: before.model },
          after: { mode: after.mode, model: after.model },
        },
        manager,
      );
      return after;
    });
  }

  private resolve(stored: AnalysisOverrides): EffectiveAnalysisSettings {
    const env = this.config.analysis;
    return {
      mode: stored.mode ?? env.mode,
      model: stored.model ?? env.model,
      modeSource: stored.mode ? 'settings' : 'env',
      modelSource: stored.model ? 'settings' : 'env',
      batchMinimum: env.batchMin,
    };
  }
}

/** The stored value, keeping only fields that are still valid (a hand-edited row must not break runs). */
function overrides(value: unknown): AnalysisOverrides {
  if (!value || typeof value !== 'object') return {};
  const { mode, model } = value as Record<string, unknown>;
  return {
    ...(typeof mode === 'string' && (ANALYSIS_MODES as readonly string[]).includes(mode)
      ? { mode: mode as AnalysisOverrides['mode'] }
      : {}),
    ...(typeof model === 'string' && MODEL_ID.test(model) ? { model } : {}),
  };
}
