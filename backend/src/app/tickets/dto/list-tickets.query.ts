import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsNotBefore, IsTimestamp, MAX_ID } from '../../common/validators';
import { CursorPageQuery } from '../../common/keyset';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;

export class ListTicketsQuery extends CursorPageQuery {
  /** Full-text search over subject and description (web-search syntax: words, "phrases", -exclusions). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** Comma-separated statuses. */
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @IsIn(TICKET_STATUSES, { each: true })
  status?: string[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  organizationId?: number;

  /** Tickets created at or after this instant (ISO 8601). */
  @IsOptional()
  @IsTimestamp()
  startDate?: Date;

  /** Tickets created before this instant (ISO 8601; not before startDate). */
  @IsOptional()
  @IsTimestamp()
  @IsNotBefore('startDate')
  endDate?: Date;

  @IsOptional()
  @IsIn(['createdAt:desc', 'createdAt:asc', 'updatedAt:desc', 'updatedAt:asc'])
  sort?: string;
}
