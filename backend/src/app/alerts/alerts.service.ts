import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { errorMessage } from '@app/common/errors';
import { ClustersTriageService } from '@app/issues/clusters-triage.service';
import { pageWindow } from '@app/common/pagination';
import type { AlertKind } from './alert.types';
import { AlertDeliveryService, activeChannels } from './alert-delivery.service';
import { AlertSettingsService } from './alert-settings.service';
import { AlertRepository, ListedAlertRow } from './repositories/alert.repository';
import { AlertDeliveryRepository } from './repositories/alert-delivery.repository';
import { ClusterSignalsRepository } from './repositories/cluster-signals.repository';
import { Condition, groupEmerging, holdingConditions, Signals } from './rules/alert-rules';

/** Who reopens a regressed cluster in the audit log: the alerts themselves, no user (actor id null). */
const ALERTS_ACTOR = { id: null, email: 'system:alerts', role: 'admin' } as unknown as AuthenticatedUser;

export interface Evaluation {
  raised: Array<{ id: string; kind: AlertKind; clusterId: string }>;
  cleared: number;
}

/** How often every process looks for deliveries that became due (retries, rate-limited ones) between runs. */
const DELIVERY_SWEEP_MS = 60_000;

const key = (a: { kind: AlertKind; clusterId: string }) => `${a.kind}:${a.clusterId}`;

/**
 * Alerts on clusters, evaluated at the end of every run: emerging, spike, critical and regression conditions are
 * computed from the data; an alert is raised when its condition starts holding (one open alert per cluster and
 * kind), cleared when it stops; new alerts are delivered to the active channels; a regression reopens its cluster
 * through the issues module.
 */
@Injectable()
export class AlertsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertsService.name);
  private running: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly settings: AlertSettingsService,
    private readonly alerts: AlertRepository,
    private readonly deliveries: AlertDeliveryRepository,
    private readonly signals: ClusterSignalsRepository,
    private readonly delivery: AlertDeliveryService,
    private readonly triage: ClustersTriageService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), DELIVERY_SWEEP_MS);
    this.timer.unref();
  }

  /** Shutdown lets the evaluation in flight finish (the database closes after this hook). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Evaluates every rule after run `runId` (null: outside a run) and sends what is due. Evaluations of one process
   * run one after the other; between processes the unique index and the deliveries' claims keep it exactly-once.
   */
  evaluate(runId: string | null): Promise<Evaluation> {
    const next = this.running.then(() => this.evaluateNow(runId));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async evaluateNow(runId: string | null): Promise<Evaluation> {
    const settings = await this.settings.effective();
    const { rules } = settings;
    const signals: Signals = {
      emerging: rules.emerging.enabled ? await this.signals.emerging(rules.emerging.minIssues) : [],
      daily: rules.spike.enabled ? await this.signals.dailyCounts() : [],
      critical: rules.critical.enabled ? await this.signals.critical() : [],
      regressions: rules.regression.enabled ? await this.signals.regressions() : [],
    };
    const holding = holdingConditions(signals, rules);
    const holdingKeys = new Set(holding.map(key));
    const open = await this.alerts.open();
    const stale = open.filter((a) => !holdingKeys.has(key(a))).map((a) => a.id);
    await this.alerts.clear(stale);
    const openKeys = new Set(open.map(key));
    const channels = activeChannels(settings);
    const raised: Evaluation['raised'] = [];
    const fresh = holding.filter((c) => !openKeys.has(key(c)));
    const proposals = await this.signals.mergeProposals(
      fresh.filter((c) => c.kind === 'emerging').map((c) => c.clusterId),
    );
    // Sibling clusters of one new problem raise one alert; each keeps an open (undelivered) alert of its own.
    for (const { primary: condition, siblings } of groupEmerging(fresh, proposals)) {
      const trigger = siblings.length
        ? { ...condition.trigger, siblings: siblings.map((s) => ({ clusterId: s.clusterId, ...s.trigger })) }
        : condition.trigger;
      const id = await this.alerts.raise(condition.kind, condition.clusterId, trigger, runId);
      if (!id) continue; // another process raised it meanwhile
      raised.push({ id, kind: condition.kind, clusterId: condition.clusterId });
      for (const s of siblings) await this.alerts.raise(s.kind, s.clusterId, s.trigger, runId, id);
      await this.deliveries.create(id, channels);
      if (condition.kind === 'regression') await this.reopen(condition);
    }
    if (raised.length || stale.length)
      this.logger.log(`run ${runId ?? '-'}: ${raised.length} alert(s) raised, ${stale.length} cleared`);
    await this.delivery.deliverDue(settings);
    return { raised, cleared: stale.length };
  }

  /** Sends deliveries that became due since (a rate limit's or a long Retry-After's wait), between runs. */
  async sweep(): Promise<void> {
    const next = this.running.then(async () => this.delivery.deliverDue(await this.settings.effective()));
    this.running = next.catch(() => undefined);
    await next.catch((error: unknown) => this.logger.warn(`alert delivery sweep failed: ${errorMessage(error)}`));
  }

  /** A page of alerts, newest first, with their deliveries. */
  async list(query: { page?: number; perPage?: number; kind?: AlertKind[] }) {
    const { skip, take, page, perPage } = pageWindow(query);
    const { rows, total } = await this.alerts.list(skip, take, query.kind);
    return { items: rows as ListedAlertRow[], total, page, perPage };
  }

  /** Alerts raised in the last 7 days (the console's badge). */
  async recentCount(): Promise<number> {
    return this.alerts.countSince(7);
  }

  /** The regressed cluster goes back to `new`, its notes saying why (audited as done by the alerts). */
  private async reopen(condition: Condition): Promise<void> {
    const { clusterId, trigger } = condition;
    try {
      const notes = (await this.signals.pmNotes(clusterId)) ?? '';
      const fixedOn = new Date(trigger['fixedAt'] as string).toISOString().slice(0, 10);
      const line =
        `[${new Date().toISOString().slice(0, 10)}] Reopened by a regression alert: ${trigger['ticketsAfterFix']} ` +
        `ticket(s) created after it was marked fixed on ${fixedOn}.`;
      await this.triage.update(
        clusterId,
        { pmStatus: 'new', pmNotes: (notes ? `${notes}\n${line}` : line).slice(-20_000) },
        ALERTS_ACTOR,
      );
    } catch (error) {
      this.logger.warn(`could not reopen cluster ${clusterId} after a regression: ${errorMessage(error)}`);
    }
  }
}
