import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AccountInput, AccountSource, StoredAccountSettings } from '../account.types';

/** An `accounts` row as PostgreSQL returns it (bigint and numeric as text, date as `YYYY-MM-DD`). */
export interface AccountRow {
  organization_id: string;
  organization_name: string;
  plan: string | null;
  arr: string | null;
  mrr: string | null;
  seats: number | null;
  segment: string | null;
  renewal_date: string | null;
  owner: string | null;
  source: AccountSource;
  updated_at: Date;
}

/** One dated state of an account. */
export interface AccountHistoryRow {
  organization_id: string;
  valid_from: Date;
  plan: string | null;
  arr: string | null;
  segment: string | null;
  source: AccountSource;
}

/** An organization as the feed matches it. */
export interface OrganizationKeyRow {
  id: string;
  name: string;
  domain_names: string[];
}

const VALUE_COLUMNS = 'plan, arr, mrr, seats, segment, renewal_date, owner';

/** `accounts` (the current values), `account_history` (every change, dated) and `account_settings` (one row). */
@Injectable()
export class AccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes the values of `source`, in one statement: a row changes only when a value differs, and each change is
   * kept in `account_history` from now on. The feed's values win: a Zendesk refresh leaves a feed's row alone.
   * Returns how many accounts changed.
   */
  async upsert(rows: AccountInput[], source: AccountSource): Promise<number> {
    if (!rows.length) return 0;
    const payload = rows.map((r) => ({
      organization_id: r.organizationId,
      plan: r.plan,
      arr: r.arr,
      mrr: r.mrr,
      seats: r.seats,
      segment: r.segment,
      renewal_date: r.renewalDate,
      owner: r.owner,
    }));
    const [{ n }]: Array<{ n: number }> = await this.dataSource.query(
      `WITH input AS (
         SELECT DISTINCT ON (organization_id) * FROM jsonb_to_recordset($1::jsonb) AS x(organization_id bigint,
           plan text, arr numeric, mrr numeric, seats integer, segment text, renewal_date date, owner text)
          WHERE organization_id IN (SELECT id FROM zendesk_organizations)
       ), changed AS (
         INSERT INTO accounts AS a (organization_id, ${VALUE_COLUMNS}, source)
         SELECT organization_id, ${VALUE_COLUMNS}, $2 FROM input
         ON CONFLICT (organization_id) DO UPDATE SET plan = EXCLUDED.plan, arr = EXCLUDED.arr, mrr = EXCLUDED.mrr,
           seats = EXCLUDED.seats, segment = EXCLUDED.segment, renewal_date = EXCLUDED.renewal_date,
           owner = EXCLUDED.owner, source = EXCLUDED.source, updated_at = now()
          WHERE ($2 = 'feed' OR a.source = 'zendesk')
            AND (a.plan, a.arr, a.mrr, a.seats, a.segment, a.renewal_date, a.owner, a.source) IS DISTINCT FROM
                (EXCLUDED.plan, EXCLUDED.arr, EXCLUDED.mrr, EXCLUDED.seats, EXCLUDED.segment, EXCLUDED.renewal_date,
                 EXCLUDED.owner, EXCLUDED.source)
         RETURNING a.organization_id, a.${VALUE_COLUMNS.split(', ').join(', a.')}, a.source
       ), kept AS (
         INSERT INTO account_history (organization_id, ${VALUE_COLUMNS}, source)
         SELECT organization_id, ${VALUE_COLUMNS}, source FROM changed RETURNING 1
       )
       SELECT count(*)::int AS n FROM kept`,
      [JSON.stringify(payload), source],
    );
    return n;
  }

  /** Every organization's id, name and domains (the feed's match keys). */
  async organizationKeys(): Promise<OrganizationKeyRow[]> {
    return this.dataSource.query(`SELECT id, name, domain_names FROM zendesk_organizations ORDER BY id`);
  }

  /** Every organization's id and custom fields (what the Zendesk mapping reads). */
  async organizationFields(): Promise<Array<{ id: string; organization_fields: Record<string, unknown> }>> {
    return this.dataSource.query(
      `SELECT id, organization_fields FROM zendesk_organizations WHERE organization_fields <> '{}'::jsonb ORDER BY id`,
    );
  }

  /** One page of accounts, highest ARR first. */
  async page(take: number, skip: number): Promise<{ rows: AccountRow[]; total: number }> {
    const [rows, [count]]: [AccountRow[], Array<{ n: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT a.organization_id, o.name AS organization_name, a.${VALUE_COLUMNS.split(', ').join(', a.')},
                a.source, a.updated_at
           FROM accounts a JOIN zendesk_organizations o ON o.id = a.organization_id
          ORDER BY a.arr DESC NULLS LAST, a.organization_id LIMIT ${take} OFFSET ${skip}`,
      ),
      this.dataSource.query(`SELECT count(*)::int AS n FROM accounts`),
    ]);
    return { rows, total: count?.n ?? 0 };
  }

  /** An account's states, newest first. */
  async history(organizationId: number): Promise<AccountHistoryRow[]> {
    return this.dataSource.query(
      `SELECT organization_id, valid_from, plan, arr, segment, source FROM account_history
        WHERE organization_id = $1 ORDER BY valid_from DESC, id DESC LIMIT 200`,
      [organizationId],
    );
  }

  async readSettings(manager: EntityManager = this.dataSource.manager): Promise<StoredAccountSettings> {
    const rows: Array<{ value: StoredAccountSettings }> = await manager.query(
      `SELECT value FROM account_settings WHERE id = 1`,
    );
    return rows[0]?.value ?? {};
  }

  async writeSettings(value: StoredAccountSettings, actorId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO account_settings (id, value, updated_by) VALUES (1, $1::jsonb, $2)
       ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [JSON.stringify(value), actorId],
    );
  }
}
