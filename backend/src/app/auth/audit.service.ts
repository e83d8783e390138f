import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { pageWindow } from '@app/common/pagination';
import type { AuthenticatedUser } from './authenticated-user';
import { ListAuditQuery } from './dto/audit.dto';
import { AuditLog } from './entities/audit-log.entity';

const SECRET_KEYS = /pass(word)?|secret|token|hash|api_?key/i;

export interface AuditEvent {
  actor: AuthenticatedUser | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
}

/** Who did what, with before/after, and when. Triage actions of every module write here. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLog) private readonly audit: Repository<AuditLog>) {}

  /** Records an event; pass the transaction's manager so the entry commits (or rolls back) with the change. */
  async record(event: AuditEvent, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditLog) : this.audit;
    const entry: Partial<AuditLog> = {
      actorId: event.actor?.id ?? null,
      actorEmail: event.actor?.email ?? null,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      before: scrub(event.before),
      after: scrub(event.after),
    };
    await repo.save(repo.create(entry));
  }

  async list(query: ListAuditQuery): Promise<{ items: AuditLog[]; total: number; page: number; perPage: number }> {
    const { skip, take, page, perPage } = pageWindow(query);
    const where: FindOptionsWhere<AuditLog> = {};
    if (query.entityType) where.entityType = query.entityType;
    if (query.entityId) where.entityId = query.entityId;
    if (query.actorId) where.actorId = query.actorId;
    const [items, total] = await this.audit.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
    return { items, total, page, perPage };
  }
}

/**
 * A JSON-safe copy without secrets, at any depth. A secret-named key holding a boolean is a flag, not a secret
 * (`passwordChanged: true` must stay visible), so it is kept.
 */
function scrub(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return strip(JSON.parse(JSON.stringify(value))) as Record<string, unknown>;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.test(key) && typeof field !== 'boolean') continue;
    copy[key] = strip(field);
  }
  return copy;
}
