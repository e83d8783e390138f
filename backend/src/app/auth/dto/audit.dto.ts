import { IsOptional, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '@app/common/pagination';
import { AuditLog } from '../entities/audit-log.entity';
import { OptionalText } from '@app/common/dto-decorators';
import { pick } from '@app/common/pick';

export class ListAuditQuery extends PageQuery {
  /** e.g. `user`, `cluster`. */
  @OptionalText()
  @MaxLength(64)
  entityType?: string;

  @OptionalText()
  @MaxLength(64)
  entityId?: string;

  @IsOptional()
  @IsUUID()
  actorId?: string;
}

export class AuditEntryResponse {
  id!: string;
  actorId!: string | null;
  actorEmail!: string | null;
  action!: string;
  entityType!: string;
  entityId!: string | null;
  before!: Record<string, unknown> | null;
  after!: Record<string, unknown> | null;
  createdAt!: Date;

  static from(entry: AuditLog): AuditEntryResponse {
    return Object.assign(
      new AuditEntryResponse(),
      pick(entry, ['id', 'actorId', 'actorEmail', 'action', 'entityType', 'entityId', 'before', 'after', 'createdAt']),
    );
  }
}

export class AuditPageResponse {
  items!: AuditEntryResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}
