import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '@app/common/pagination';
import { MAX_INT4 } from '@app/common/validators';
import { IntersectionType } from '@nestjs/swagger';
import { ISSUE_TYPES, SEVERITIES } from '@app/analysis/taxonomy/taxonomy.types';
import { PM_STATUSES } from '../entities/cluster.entity';
import { QueryBoolean } from '@app/common/comma-list';
import {
  OptionalInt,
  OptionalList,
  OptionalText,
  OptionalTextList,
  OptionalTimestamp,
} from '@app/common/dto-decorators';

export const CLUSTER_SORTS = [
  'issueCount:desc',
  'issueCount:asc',
  'count7d:desc',
  'count7d:asc',
  'trendPct:desc',
  'trendPct:asc',
  'uniqueCustomers:desc',
  'uniqueCustomers:asc',
  'lastSeen:desc',
  'lastSeen:asc',
  'firstSeen:desc',
  'firstSeen:asc',
  'updatedAt:desc',
  'updatedAt:asc',
  'name:asc',
  'name:desc',
  'impactScore:desc',
  'impactScore:asc',
  'arrAffected:desc',
  'arrAffected:asc',
  'affectedAccounts:desc',
  'affectedAccounts:asc',
] as const;

/**
 * The cluster list's filters and sort, without paging (the export streams every match).
 *
 * `issueType`, `severity`, `startDate` and `endDate` select clusters by their issues: a cluster matches when at least
 * one of its (non-hidden) issues matches all of those given, e.g. "clusters with a critical bug reported this week".
 */
export class ExportClustersQuery {
  @OptionalTextList()
  @ArrayMaxSize(50)
  @MaxLength(64, { each: true })
  category?: string[];

  @OptionalTextList()
  @ArrayMaxSize(100)
  @MaxLength(64, { each: true })
  subcategory?: string[];

  /** Comma-separated PM statuses. */
  @OptionalList()
  @IsIn(PM_STATUSES, { each: true })
  pmStatus?: string[];

  /** Active clusters (with issues, not merged): `true` (default), `false`, or omit with `all=true`. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  emerging?: boolean;

  /** Clusters with at least this many issues. */
  @OptionalInt()
  @Min(0)
  @Max(MAX_INT4)
  minIssues?: number;

  @OptionalText()
  @MaxLength(200)
  owner?: string;

  /** Comma-separated issue types: clusters with at least one issue of one of these types. */
  @OptionalList()
  @IsIn(ISSUE_TYPES, { each: true })
  issueType?: string[];

  /** Comma-separated severities: clusters with at least one issue of one of these severities. */
  @OptionalList()
  @IsIn(SEVERITIES, { each: true })
  severity?: string[];

  /** Clusters with at least one issue whose ticket was created at or after this instant (ISO 8601). */
  @OptionalTimestamp()
  startDate?: Date;

  /** Clusters with at least one issue whose ticket was created before this instant (ISO 8601; not before startDate). */
  @OptionalTimestamp('startDate')
  endDate?: Date;

  /** Comma-separated account segments (case-insensitive): clusters affecting at least one account of one of them. */
  @OptionalTextList()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  segment?: string[];

  /** Comma-separated account plans (case-insensitive): clusters affecting at least one account on one of them. */
  @OptionalTextList()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  plan?: string[];

  /** Full-text search over name, summary and PM notes (web-search syntax). */
  @OptionalText()
  @MaxLength(200)
  search?: string;

  /** `field:direction`; default `issueCount:desc`. */
  @IsOptional()
  @IsIn(CLUSTER_SORTS)
  sort?: (typeof CLUSTER_SORTS)[number];
}

/** The same with paging (the rules of every list). */
export class ListClustersQuery extends IntersectionType(ExportClustersQuery, PageQuery) {}
