import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TicketSource } from '../entities/ticket.entity';
import { jsonBatches } from './sql-batches';

/** An organization as written (column names; dates as Date or ISO text). */
export interface OrganizationWriteRow {
  id: number | undefined;
  name: string;
  domain_names: string[];
  tags: string[];
  organization_fields: Record<string, unknown>;
  created_at: Date | null;
  updated_at: Date | null;
}

/** A user as written (column names). */
export interface UserWriteRow {
  id: number | undefined;
  name: string;
  email: string | null;
  role: string;
  organization_id: number | null;
  created_at: Date | null;
  updated_at: Date | null;
}

/** A user the sync wrote, with the fields an import may disagree on (`organization_id` as PostgreSQL gives it). */
export interface SyncedUserRow {
  id: number;
  name: string;
  email: string | null;
  role: string;
  organization_id: string | null;
}

export interface UserRoleRow {
  id: number;
  role: string;
  source: TicketSource;
}

/** The ON CONFLICT guard of people: the sync writes any row, an import ($2) only rows no sync wrote. */
const OWNED_BY = (table: string) => `$2 = 'zendesk' OR ${table}.source <> 'zendesk'`;

/** zendesk_users and zendesk_organizations: whether synced from Zendesk or named by an imported file. */
@Injectable()
export class PeopleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Upserts organizations, one JSON parameter per batch; rows the sync wrote are kept unless `source` is zendesk. */
  async upsertOrganizations(rows: OrganizationWriteRow[], source: TicketSource): Promise<void> {
    for (const json of jsonBatches(rows))
      await this.dataSource.query(
        `INSERT INTO zendesk_organizations (id, name, domain_names, tags, organization_fields, created_at, updated_at,
                                           synced_at, source)
       SELECT x.id, x.name, coalesce(x.domain_names, '{}'), coalesce(x.tags, '{}'),
              coalesce(x.organization_fields, '{}'::jsonb), x.created_at, x.updated_at, now(), $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, name text, domain_names text[], tags text[],
              organization_fields jsonb, created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, domain_names = EXCLUDED.domain_names,
              tags = EXCLUDED.tags, organization_fields = EXCLUDED.organization_fields,
              created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, synced_at = EXCLUDED.synced_at,
              source = EXCLUDED.source
        WHERE ${OWNED_BY('zendesk_organizations')}`,
        [json, source],
      );
  }

  /** Upserts users, one JSON parameter per batch; rows the sync wrote are kept unless `source` is zendesk. */
  async upsertUsers(rows: UserWriteRow[], source: TicketSource): Promise<void> {
    for (const json of jsonBatches(rows))
      await this.dataSource.query(
        `INSERT INTO zendesk_users (id, name, email, role, organization_id, created_at, updated_at, synced_at, source)
       SELECT x.id, x.name, x.email, x.role, x.organization_id, x.created_at, x.updated_at, now(), $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, name text, email text, role text, organization_id bigint,
              created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role,
              organization_id = EXCLUDED.organization_id, created_at = EXCLUDED.created_at,
              updated_at = EXCLUDED.updated_at, synced_at = EXCLUDED.synced_at, source = EXCLUDED.source
        WHERE ${OWNED_BY('zendesk_users')}`,
        [json, source],
      );
  }

  /** The users among `ids` that the sync wrote. */
  async findSyncedUsers(ids: number[]): Promise<SyncedUserRow[]> {
    const rows: (Omit<SyncedUserRow, 'id'> & { id: string })[] = await this.dataSource.query(
      `SELECT id, name, email, role, organization_id FROM zendesk_users WHERE id = ANY($1) AND source = 'zendesk'`,
      [ids],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Role and writer of the users among `ids`. */
  async findRoles(ids: number[], tx: EntityManager = this.dataSource.manager): Promise<UserRoleRow[]> {
    const rows: { id: string; role: string; source: TicketSource }[] = await tx.query(
      `SELECT id, role, source FROM zendesk_users WHERE id = ANY($1)`,
      [ids],
    );
    return rows.map((r) => ({ id: Number(r.id), role: r.role, source: r.source }));
  }

  /** Names of the users among `ids`, by id. */
  userNames(ids: number[]): Promise<Map<number, string>> {
    return this.namesOf('zendesk_users', ids);
  }

  /** Names of the organizations among `ids`, by id. */
  organizationNames(ids: number[]): Promise<Map<number, string>> {
    return this.namesOf('zendesk_organizations', ids);
  }

  private async namesOf(table: 'zendesk_users' | 'zendesk_organizations', ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query(
      `SELECT id, name FROM ${table} WHERE id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  /** An organization's custom fields; null when it is not stored. */
  async organizationFields(id: number): Promise<Record<string, unknown> | null> {
    const [row]: { organization_fields: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT organization_fields FROM zendesk_organizations WHERE id = $1`,
      [id],
    );
    return row ? row.organization_fields : null;
  }
}
