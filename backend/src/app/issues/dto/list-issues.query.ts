import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorPageQuery } from '../../common/keyset';
import { IsNotBefore, IsTimestamp } from '../../common/validators';
import { IntersectionType } from '@nestjs/swagger';
import { ISSUE_TYPES, SEVERITIES } from '../../analysis/taxonomy/taxonomy.types';
import { CommaList } from './comma-list';

export const ISSUE_SORTS = [
  'ticketCreatedAt:desc',
  'ticketCreatedAt:asc',
  'severity:desc',
  'severity:asc',
  'confidence:desc',
  'confidence:asc',
  'category:asc',
  'category:desc',
] as const;

/** The issue list's filters and sort, without paging (the export streams every match). */
export class ExportIssuesQuery {
  /** Comma-separated category keys. */
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  category?: string[];

  /** Comma-separated subcategory keys. */
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  subcategory?: string[];

  /** Comma-separated issue types. */
  @IsOptional()
  @CommaList()
  @IsIn(ISSUE_TYPES, { each: true })
  issueType?: string[];

  /** Comma-separated severities. */
  @IsOptional()
  @CommaList()
  @IsIn(SEVERITIES, { each: true })
  severity?: string[];

  @IsOptional()
  @IsUUID()
  clusterId?: string;

  /** Issues of tickets created at or after this instant (ISO 8601). */
  @IsOptional()
  @IsTimestamp()
  startDate?: Date;

  /** Issues of tickets created before this instant (ISO 8601; not before startDate). */
  @IsOptional()
  @IsTimestamp()
  @IsNotBefore('startDate')
  endDate?: Date;

  /** Full-text search over summary, detail and quote (web-search syntax). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** `field:direction`; default `ticketCreatedAt:desc`. */
  @IsOptional()
  @IsIn(ISSUE_SORTS)
  sort?: (typeof ISSUE_SORTS)[number];
}

/** The same with paging (the rules of every list) and the keyset `cursor` of deep pages. */
export class ListIssuesQuery extends IntersectionType(ExportIssuesQuery, CursorPageQuery) {}
