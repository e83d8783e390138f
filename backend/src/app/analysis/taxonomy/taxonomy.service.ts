import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { DEFAULT_TAXONOMY } from './default-taxonomy';
import { UpdateTaxonomyRequest } from './dto/taxonomy.request';
import { TaxonomyRecord } from './taxonomy.entity';
import {
  ISSUE_TYPES,
  REDACTION_KINDS,
  SEVERITIES,
  Taxonomy,
  TaxonomyCategory,
  TaxonomyData,
  TaxonomyRename,
} from './taxonomy.types';

const ID = 1;

/** The taxonomy record: seeded with the default on first read, replaced by admins, renames kept as aliases. */
@Injectable()
export class TaxonomyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<Taxonomy> {
    const repo = this.dataSource.getRepository(TaxonomyRecord);
    let row = await repo.findOneBy({ id: ID });
    if (!row) {
      await repo
        .createQueryBuilder()
        .insert()
        .values({ id: ID, data: DEFAULT_TAXONOMY, version: 1, updatedBy: null })
        .orIgnore()
        .execute();
      row = await repo.findOneByOrFail({ id: ID });
    }
    return toTaxonomy(row);
  }

  async update(input: UpdateTaxonomyRequest, actor: AuthenticatedUser): Promise<Taxonomy> {
    const current = await this.get();
    const next = merge(current, input, actor.id);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(TaxonomyRecord);
      // The version check makes concurrent edits fail instead of one silently overwriting the other.
      const res = await repo
        .createQueryBuilder()
        .update()
        .set({ data: next, version: current.version + 1, updatedAt: () => 'now()', updatedBy: actor.id } as never)
        .where('id = :id AND version = :version', { id: ID, version: current.version })
        .execute();
      if (!res.affected) throw new BadRequestException('The taxonomy was changed meanwhile; reload it and try again');
      await this.audit.record(
        {
          actor,
          action: 'taxonomy.update',
          entityType: 'taxonomy',
          entityId: String(ID),
          before: { version: current.version, ...summary(current) },
          after: {
            version: current.version + 1,
            ...summary(next),
            renames: next.history.slice(current.history.length),
          },
        },
        manager,
      );
      return toTaxonomy(await repo.findOneByOrFail({ id: ID }));
    });
  }
}

function toTaxonomy(row: TaxonomyRecord): Taxonomy {
  const data = row.data;
  return {
    categories: data.categories,
    issueTypes: data.issueTypes,
    severities: data.severities,
    productContext: data.productContext,
    // Kinds added later default to on.
    redaction: Object.fromEntries(
      REDACTION_KINDS.map((k) => [k, data.redaction?.[k] !== false]),
    ) as Taxonomy['redaction'],
    history: data.history ?? [],
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

const summary = (t: TaxonomyData) => ({
  categories: t.categories.map((c) => `${c.key}: ${c.subcategories.map((s) => s.key).join(', ')}`),
  productContextLength: t.productContext.length,
  redaction: t.redaction,
});

/** Checks what class-validator cannot (uniqueness, completeness, renames) and builds the new record. */
export function merge(current: TaxonomyData, input: UpdateTaxonomyRequest, by: string | null): TaxonomyData {
  const bad = (message: string) => new BadRequestException([message]);
  const seen = new Set<string>();
  input.categories.forEach((c, i) => {
    if (seen.has(c.key)) throw bad(`categories.${i}.key ${c.key} is used twice`);
    seen.add(c.key);
    const subs = new Set<string>();
    c.subcategories.forEach((s, j) => {
      if (subs.has(s.key)) throw bad(`categories.${i}.subcategories.${j}.key ${s.key} is used twice in ${c.key}`);
      subs.add(s.key);
    });
  });
  for (const [field, all, list] of [
    ['issueTypes', ISSUE_TYPES, input.issueTypes],
    ['severities', SEVERITIES, input.severities],
  ] as const) {
    const keys = list.map((x) => x.key as string);
    const missing = all.filter((k) => !keys.includes(k));
    if (missing.length || keys.length !== all.length)
      throw bad(
        `${field} must list each of ${all.join(', ')} exactly once${missing.length ? ` (missing ${missing.join(', ')})` : ''}`,
      );
  }

  const byKey = new Map(current.categories.map((c) => [c.key, c]));
  const at = new Date().toISOString();
  const history: TaxonomyRename[] = [...(current.history ?? [])];
  const categories: TaxonomyCategory[] = input.categories.map((c, i) => {
    let before = byKey.get(c.key);
    const aliases = new Set(before?.aliases ?? []);
    if (c.renamedFrom && c.renamedFrom !== c.key) {
      const old = byKey.get(c.renamedFrom);
      if (!old && !before) throw bad(`categories.${i}.renamedFrom ${c.renamedFrom} is not a current category`);
      if (old) {
        before = old;
        old.aliases.forEach((a) => aliases.add(a));
        aliases.add(old.key);
        history.push({ at, by, kind: 'category', from: old.key, to: c.key });
      }
    }
    aliases.delete(c.key);
    const oldSubs = new Map((before?.subcategories ?? []).map((s) => [s.key, s]));
    const subcategories = c.subcategories.map((s, j) => {
      let prior = oldSubs.get(s.key);
      const subAliases = new Set(prior?.aliases ?? []);
      if (s.renamedFrom && s.renamedFrom !== s.key) {
        const old = oldSubs.get(s.renamedFrom);
        if (!old && !prior)
          throw bad(
            `categories.${i}.subcategories.${j}.renamedFrom ${s.renamedFrom} is not a subcategory of ${before?.key ?? c.key}`,
          );
        if (old) {
          prior = old;
          old.aliases.forEach((a) => subAliases.add(a));
          subAliases.add(old.key);
          history.push({
            at,
            by,
            kind: 'subcategory',
            from: `${before?.key ?? c.key}/${old.key}`,
            to: `${c.key}/${s.key}`,
          });
        }
      }
      subAliases.delete(s.key);
      return { key: s.key, name: s.name.trim(), description: s.description.trim(), aliases: [...subAliases] };
    });
    return { key: c.key, name: c.name.trim(), description: c.description.trim(), aliases: [...aliases], subcategories };
  });
  const order = <T extends { key: string }>(all: readonly string[], list: T[]) =>
    all.map((k) => list.find((x) => x.key === k)!);
  return {
    categories,
    issueTypes: order(ISSUE_TYPES, input.issueTypes).map((x) => ({ key: x.key, description: x.description.trim() })),
    severities: order(SEVERITIES, input.severities).map((x) => ({ key: x.key, description: x.description.trim() })),
    productContext: input.productContext.trim(),
    redaction: { ...input.redaction },
    history,
  };
}
