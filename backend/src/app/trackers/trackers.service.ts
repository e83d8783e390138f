import { BadGatewayException, BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { AlertSettingsService } from '@app/alerts/alert-settings.service';
import { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { ClustersQueryService } from '@app/issues/clusters-query.service';
import { ClustersTriageService } from '@app/issues/clusters-triage.service';
import { ClusterDetailResponse } from '@app/issues/dto/cluster.response';
import { IssuesCacheService } from '@app/issues/issues-cache.service';
import { JiraClient } from './clients/jira.client';
import { LinearClient } from './clients/linear.client';
import { TrackerError } from './clients/tracker-http';
import { ExternalIssueResponse, TrackerSyncResponse } from './dto/external-issue.dto';
import { ExternalIssueRepository, ExternalIssueRow } from './repositories/external-issue.repository';
import { IssueDraft, Provider, TrackerClient, TrackerIssue } from './tracker.types';

/** The sync's marks and audit entries are by the trackers, not by a user. */
const TRACKERS_ACTOR = { id: null, email: 'system:trackers', role: 'admin' } as unknown as AuthenticatedUser;
const NAMES: Record<Provider, string> = { jira: 'Jira', linear: 'Linear' };
const SETUP: Record<Provider, string> = {
  jira: 'JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT_KEY',
  linear: 'LINEAR_API_KEY and LINEAR_TEAM_ID',
};

/**
 * Clusters filed in Jira or Linear (or linked to an issue there), and followed: a sync reads each open issue's
 * status back, and when it is done marks the cluster fixed (as of the tracker's date), which arms the regression
 * alert. Credentials come from the environment only; they are never returned, logged or audited.
 */
@Injectable()
export class TrackersService {
  private readonly logger = new Logger(TrackersService.name);
  private readonly clients: Partial<Record<Provider, TrackerClient>>;
  private syncing: Promise<TrackerSyncResponse> | null = null;

  constructor(
    private readonly issues: ExternalIssueRepository,
    private readonly clusters: ClustersQueryService,
    private readonly triage: ClustersTriageService,
    private readonly cache: IssuesCacheService,
    private readonly alertSettings: AlertSettingsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { jira, linear } = config.trackers;
    const retryBaseMs = config.nodeEnv === 'test' ? 50 : undefined;
    this.clients = {
      jira: jira ? new JiraClient(jira, retryBaseMs) : undefined,
      linear: linear ? new LinearClient(linear, retryBaseMs) : undefined,
    };
  }

  /** Which trackers are configured. */
  configured(): Provider[] {
    return (Object.keys(this.clients) as Provider[]).filter((p) => this.clients[p]);
  }

  /** Files the cluster in the tracker (name, summary, counts, up to 3 verbatim quotes, ticket links). Audited. */
  async create(clusterId: string, provider: Provider, actor: AuthenticatedUser): Promise<ExternalIssueResponse> {
    const client = this.client(provider);
    const cluster = await this.clusters.get(clusterId);
    const { consoleUrl } = await this.alertSettings.effective();
    const issue = await this.call(() => client.create(draftOf(cluster, consoleUrl)));
    return this.store(clusterId, provider, issue, actor, 'cluster.external-issue.create');
  }

  /** Links an existing issue, checked by reading it (an unknown key is a 400 naming `key`). Audited. */
  async link(
    clusterId: string,
    provider: Provider,
    key: string,
    actor: AuthenticatedUser,
  ): Promise<ExternalIssueResponse> {
    const client = this.client(provider);
    await this.clusters.exists(clusterId);
    const issue = await this.call(() => client.read(key));
    if (!issue) throw new BadRequestException(`key ${key} was not found in ${NAMES[provider]}`);
    return this.store(clusterId, provider, issue, actor, 'cluster.external-issue.link');
  }

  /** The external issues of these clusters, by cluster id (what cluster answers carry as `externalIssue`). */
  async ofClusters(clusterIds: string[]): Promise<Map<string, ExternalIssueResponse>> {
    const rows = await this.issues.ofClusters(clusterIds);
    return new Map(rows.map((r) => [r.cluster_id, responseOf(r)]));
  }

  /** Reads every open issue's status back (one sync at a time in a process); done ones mark their cluster fixed. */
  sync(): Promise<TrackerSyncResponse> {
    this.syncing ??= this.syncNow().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async syncNow(): Promise<TrackerSyncResponse> {
    const result: TrackerSyncResponse = { checked: 0, fixed: 0, failed: 0 };
    for (const row of await this.issues.open()) {
      const client = this.clients[row.provider];
      if (!client) continue;
      try {
        const issue = await client.read(row.key);
        if (!issue) throw new Error(`${row.key} no longer exists in ${NAMES[row.provider]}`);
        result.checked++;
        const { becameDone } = await this.issues.recordStatus(row.cluster_id, row.key, issue);
        if (becameDone && (await this.markFixed(row, becameDone))) result.fixed++;
      } catch (error) {
        result.failed++;
        await this.issues.recordError(row.cluster_id, errorMessage(error));
        this.logger.warn(`tracker sync of ${row.provider} ${row.key}: ${errorMessage(error)}`);
      }
    }
    // Statuses, sync times and errors are part of cached cluster answers.
    if (result.checked || result.failed) await this.cache.invalidate();
    return result;
  }

  /**
   * The cluster becomes `fixed` through triage (audited there), then an entry of the trackers records the fix date:
   * the regression rule reads `fixedAt` from the latest entry that set `fixed`.
   */
  private async markFixed(row: ExternalIssueRow, doneAt: Date): Promise<boolean> {
    const cluster = await this.clusters.exists(row.cluster_id);
    if (cluster.pm_status === 'fixed' || cluster.merged_into) return false;
    await this.triage.update(row.cluster_id, { pmStatus: 'fixed' }, TRACKERS_ACTOR);
    await this.audit.record({
      actor: TRACKERS_ACTOR,
      action: 'cluster.fixed-by-tracker',
      entityType: 'cluster',
      entityId: row.cluster_id,
      before: { pmStatus: cluster.pm_status },
      after: { pmStatus: 'fixed', fixedAt: doneAt.toISOString(), provider: row.provider, key: row.key },
    });
    return true;
  }

  private async store(
    clusterId: string,
    provider: Provider,
    issue: TrackerIssue,
    actor: AuthenticatedUser,
    action: string,
  ): Promise<ExternalIssueResponse> {
    await this.issues.save(clusterId, provider, issue, actor.id ?? null);
    await this.audit.record({
      actor,
      action,
      entityType: 'cluster',
      entityId: clusterId,
      after: { provider, key: issue.key, url: issue.url, status: issue.status },
    });
    await this.cache.invalidate();
    const [row] = await this.issues.ofClusters([clusterId]);
    if (!row) throw new Error(`the external issue of cluster ${clusterId} was not stored`);
    return responseOf(row);
  }

  private client(provider: Provider): TrackerClient {
    const client = this.clients[provider];
    if (!client) throw new BadRequestException(`provider ${provider} is not configured (set ${SETUP[provider]})`);
    return client;
  }

  /** A tracker failure is the tracker's, not ours: 502 with its message (which never holds a credential). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof TrackerError) throw new BadGatewayException(error.message);
      throw error;
    }
  }
}

function responseOf(row: ExternalIssueRow): ExternalIssueResponse {
  return {
    provider: row.provider,
    key: row.key,
    url: row.url,
    status: row.status,
    statusCategory: row.status_category,
    syncedAt: new Date(row.synced_at),
    syncError: row.sync_error,
  };
}

/** What a cluster is filed with: name, summary, counts, up to 3 distinct verbatim quotes, console links. */
export function draftOf(cluster: ClusterDetailResponse, consoleUrl: string): IssueDraft {
  const quotes = [...new Set(cluster.issues.map((i) => i.quote?.trim()).filter((q): q is string => Boolean(q)))];
  const trend = cluster.trendPct === null ? '' : ` (${cluster.trendPct >= 0 ? '+' : ''}${cluster.trendPct}%)`;
  return {
    title: cluster.name,
    intro: [
      cluster.summary,
      `${cluster.issueCount} issue(s) in ${cluster.ticketCount} ticket(s) from ${cluster.uniqueCustomers} ` +
        `customer(s); ${cluster.count7d} in the last 7 days${trend}. Category: ${cluster.category}` +
        `${cluster.subcategory ? ` / ${cluster.subcategory}` : ''}; highest severity: ${cluster.severityMax ?? 'n/a'}.`,
      `Filed from Product Issue Miner.`,
    ],
    quotes: quotes.slice(0, 3),
    links: [
      { label: `Cluster: ${cluster.name}`, url: `${consoleUrl}/clusters/${cluster.id}` },
      ...cluster.tickets.slice(0, 10).map((t) => ({
        label: `Ticket ${t.originalId ?? t.zendeskId}: ${t.subject}`.slice(0, 200),
        url: `${consoleUrl}/tickets/${t.zendeskId}`,
      })),
    ],
  };
}
