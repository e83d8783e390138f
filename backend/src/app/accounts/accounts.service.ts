import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { AccountChangeHooks } from './account-change.hooks';
import { FeedFormatError, FeedRow, readAccountFeed } from './account-feed';
import { AccountFieldMapping, AccountInput, EffectiveAccountSettings, StoredAccountSettings } from './account.types';
import { accountValues, hasAnyValue } from './account-values';
import { AccountRepository, OrganizationKeyRow } from './repositories/account.repository';

/** The field keys read when neither the settings nor the environment name one. */
const DEFAULT_FIELDS: AccountFieldMapping = {
  plan: 'plan',
  arr: 'arr',
  mrr: 'mrr',
  seats: 'seats',
  segment: 'segment',
  renewalDate: 'renewal_date',
  owner: 'account_owner',
};

/** What a feed import did. */
export interface FeedImportResult {
  rows: number;
  matched: number;
  changed: number;
  /** Rows that matched no organization (or several), the first 50. */
  unmatched: Array<{ line: number; reason: string }>;
}

/** The largest feed read (upload or URL). */
export const MAX_FEED_BYTES = 20 * 1024 * 1024;
const FEED_TIMEOUT_MS = 30_000;

/**
 * Accounts: their values from the Zendesk organization fields (through the mapping) and from a CSV feed (upload,
 * or ACCOUNT_FEED_URL polled nightly), matched to organizations by id, then domain, then name. Every change is
 * kept with its date. A feed's values win over the fields until the feed changes them.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly hooks: AccountChangeHooks,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async settings(): Promise<EffectiveAccountSettings> {
    const stored = await this.accounts.readSettings();
    const env: Partial<AccountFieldMapping> = {};
    if (this.config.accounts.arrField) env.arr = this.config.accounts.arrField;
    if (this.config.accounts.planField) env.plan = this.config.accounts.planField;
    return {
      mapping: { ...DEFAULT_FIELDS, ...env, ...stored.mapping },
      feedUrl: stored.feedUrl === undefined ? (this.config.accounts.feedUrl ?? null) : stored.feedUrl,
      feedCron: this.config.accounts.feedCron,
    };
  }

  /** Saves the mapping and the feed URL (admins; audited), then reads the fields again with the new mapping. */
  async updateSettings(change: StoredAccountSettings, user: AuthenticatedUser): Promise<EffectiveAccountSettings> {
    const stored = await this.accounts.readSettings();
    const next: StoredAccountSettings = {
      mapping: { ...stored.mapping, ...change.mapping },
      feedUrl: change.feedUrl === undefined ? stored.feedUrl : change.feedUrl,
    };
    await this.accounts.writeSettings(next, user.id);
    await this.audit.record({
      actor: user,
      action: 'settings.accounts',
      entityType: 'settings',
      entityId: 'accounts',
      before: stored,
      after: next,
    });
    await this.refreshFromZendesk();
    return this.settings();
  }

  /** Reads every organization's fields through the mapping; returns how many accounts changed. */
  async refreshFromZendesk(): Promise<number> {
    const { mapping } = await this.settings();
    const organizations = await this.accounts.organizationFields();
    const rows: AccountInput[] = [];
    for (const org of organizations) {
      const values = accountValues((attribute) => {
        const key = mapping[attribute];
        return key ? org.organization_fields[key] : undefined;
      });
      if (hasAnyValue(values)) rows.push({ organizationId: Number(org.id), ...values });
    }
    const changed = await this.accounts.upsert(rows, 'zendesk');
    if (changed) await this.hooks.changed();
    return changed;
  }

  /** Imports a CSV feed (an upload or the polled URL). A malformed file is a FeedFormatError naming the problem. */
  async importFeed(text: string): Promise<FeedImportResult> {
    const feed = readAccountFeed(text);
    const match = matcher(await this.accounts.organizationKeys());
    const rows: AccountInput[] = [];
    const unmatched: FeedImportResult['unmatched'] = [];
    for (const row of feed) {
      const found = match(row);
      if (typeof found === 'string') {
        if (unmatched.length < 50) unmatched.push({ line: row.line, reason: found });
        continue;
      }
      const { plan, arr, mrr, seats, segment, renewalDate, owner } = row;
      rows.push({ organizationId: found, plan, arr, mrr, seats, segment, renewalDate, owner });
    }
    const changed = await this.accounts.upsert(rows, 'feed');
    if (changed) await this.hooks.changed();
    return { rows: feed.length, matched: rows.length, changed, unmatched };
  }

  /** Fetches the feed URL (if any) and imports it. */
  async pollFeed(): Promise<FeedImportResult | null> {
    const { feedUrl } = await this.settings();
    if (!feedUrl) return null;
    const response = await fetch(feedUrl, { signal: AbortSignal.timeout(FEED_TIMEOUT_MS), redirect: 'follow' });
    if (!response.ok) throw new Error(`account feed: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_FEED_BYTES) throw new FeedFormatError(`account feed: larger than ${MAX_FEED_BYTES} bytes`);
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_FEED_BYTES)
      throw new FeedFormatError(`account feed: larger than ${MAX_FEED_BYTES} bytes`);
    return this.importFeed(text);
  }

  /** The nightly refresh: the fields, then the feed. Failures are logged, never thrown. */
  async nightly(): Promise<void> {
    await this.refreshFromZendesk().catch((e: unknown) => this.logger.warn(`account fields: ${errorMessage(e)}`));
    await this.pollFeed()
      .then((r) => r && this.logger.log(`account feed: ${r.matched}/${r.rows} rows matched, ${r.changed} changed`))
      .catch((e: unknown) => this.logger.warn(`account feed failed: ${errorMessage(e)}`));
  }

  async page(take: number, skip: number) {
    return this.accounts.page(take, skip);
  }

  async history(organizationId: number) {
    return this.accounts.history(organizationId);
  }
}

/** Matches a feed row to an organization: by id, then domain, then name (case-insensitive); else why not. */
function matcher(organizations: OrganizationKeyRow[]): (row: FeedRow) => number | string {
  const ids = new Set(organizations.map((o) => Number(o.id)));
  const byDomain = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, id: number) => map.set(key, [...(map.get(key) ?? []), id]);
  for (const o of organizations) {
    for (const d of o.domain_names ?? []) add(byDomain, d.toLowerCase(), Number(o.id));
    if (o.name.trim()) add(byName, o.name.trim().toLowerCase(), Number(o.id));
  }
  return (row) => {
    if (row.organizationId !== null && ids.has(row.organizationId)) return row.organizationId;
    for (const [map, key, what] of [
      [byDomain, row.domain, 'domain'],
      [byName, row.name?.toLowerCase() ?? null, 'name'],
    ] as const) {
      const found = key ? map.get(key) : undefined;
      if (found?.length === 1) return found[0] as number;
      if (found && found.length > 1) return `${what} ${key} names ${found.length} organizations`;
    }
    return 'no organization with this id, domain or name';
  };
}
