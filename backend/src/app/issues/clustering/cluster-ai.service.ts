import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { redactor } from '@app/llm/redaction/redactor';
import { UsageLedger } from '@app/llm/usage-ledger.service';
import { AnalysisSettingsService } from '@app/analysis/settings/analysis-settings.service';
import { TaxonomyService } from '@app/analysis/taxonomy/taxonomy.service';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { BilledClusterCall, ClaudeClusterJudge, ClusterBrief, JudgementResult } from './claude-cluster-judge';

/** Claude calls a run may spend on clustering (the rest wait for the next run). */
export const CLUSTER_AI_LIMITS = {
  /** Clusters of 2+ issues named per run, biggest first. */
  namesPerRun: 200,
  /** Borderline merge pairs adjudicated per run, most similar first. */
  judgementsPerRun: 50,
} as const;

export interface NamedBy {
  name: string;
  summary: string;
}

/**
 * Claude in the cluster phase (only with ANTHROPIC_API_KEY): names and summaries for clusters of 2+ issues, and
 * verdicts on borderline merges. Text is redacted with the taxonomy's redaction settings before it leaves the
 * process; every call lands in the cost ledger (`analysis_usage`, no ticket) with the run's id.
 */
@Injectable()
export class ClusterAiService {
  private readonly logger = new Logger(ClusterAiService.name);
  private readonly judge: ClaudeClusterJudge | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly taxonomy: TaxonomyService,
    private readonly settings: AnalysisSettingsService,
    private readonly ledger: UsageLedger,
  ) {
    const { apiKey, baseUrl } = config.analysis;
    // The analysis model of the settings (an admin's choice applies from the next run on).
    this.judge = apiKey
      ? new ClaudeClusterJudge({ apiKey, baseUrl, model: async () => (await this.settings.effective()).model })
      : null;
  }

  get available(): boolean {
    return this.judge !== null;
  }

  /** Names for the given clusters; clusters Claude could not name are left out (they keep keyphrase names). */
  async name(manager: EntityManager, briefs: ClusterBrief[], runId: string | null): Promise<Map<string, NamedBy>> {
    const out = new Map<string, NamedBy>();
    if (!this.judge || !briefs.length) return out;
    const clean = await this.cleaner();
    const results = await this.judge.name(
      briefs.map((b) => this.redactBrief(b, clean)),
      (call) => this.bill(manager, call, runId),
    );
    const failures: string[] = [];
    for (const [id, r] of results) {
      if ('error' in r) failures.push(r.error);
      else out.set(id, r);
    }
    if (failures.length)
      this.logger.warn(
        `Claude could not name ${failures.length} of ${briefs.length} clusters (keyphrase names kept; retried next run): ${failures[0]}`,
      );
    return out;
  }

  /** Verdicts on pairs (`key` → same or not); pairs that failed are left out and stay proposals. */
  async adjudicate(
    manager: EntityManager,
    pairs: Array<{ key: string; a: ClusterBrief; b: ClusterBrief }>,
    runId: string | null,
  ): Promise<Map<string, { same: boolean; reason: string; model: string }>> {
    const out = new Map<string, { same: boolean; reason: string; model: string }>();
    if (!this.judge || !pairs.length) return out;
    const clean = await this.cleaner();
    const results: Map<string, JudgementResult> = await this.judge.judge(
      pairs.map((p) => ({ key: p.key, a: this.redactBrief(p.a, clean), b: this.redactBrief(p.b, clean) })),
      (call) => this.bill(manager, call, runId),
    );
    let failed = 0;
    for (const [key, r] of results) {
      if ('error' in r) failed++;
      else out.set(key, { same: r.same, reason: r.reason, model: r.model });
    }
    if (failed)
      this.logger.warn(`Claude could not judge ${failed} of ${pairs.length} borderline merges (kept as proposals)`);
    return out;
  }

  private async cleaner(): Promise<(text: string) => string> {
    const taxonomy = await this.taxonomy.get();
    return redactor(taxonomy.redaction);
  }

  private redactBrief(b: ClusterBrief, clean: (text: string) => string): ClusterBrief {
    return {
      ...b,
      name: b.name ? clean(b.name) : b.name,
      issues: b.issues.map((i) => ({ summary: clean(i.summary), quote: i.quote ? clean(i.quote) : null })),
    };
  }

  /** One call in the cost ledger, in the clustering transaction (`manager`), with no ticket. */
  private async bill(manager: EntityManager, call: BilledClusterCall, runId: string | null): Promise<void> {
    await this.ledger.record(
      [{ model: call.model, usage: call.usage, batch: false }],
      { runId, ticketId: null },
      manager,
    );
  }
}
