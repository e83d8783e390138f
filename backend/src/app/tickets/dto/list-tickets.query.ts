import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { MAX_ID } from '@app/common/validators';
import { CursorPageQuery } from '@app/common/keyset';
import { OptionalInt, OptionalText, OptionalTimestamp } from '@app/common/dto-decorators';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;

export class ListTicketsQuery extends CursorPageQuery {
  /** Full-text search over subject and description (web-search syntax: words, "phrases", -exclusions). */
  @OptionalText()
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

  @OptionalInt()
  @Min(1)
  @Max(MAX_ID)
  organizationId?: number;

  /** Tickets created at or after this instant (ISO 8601). */
  @OptionalTimestamp()
  startDate?: Date;

  /** Tickets created before this instant (ISO 8601; not before startDate). */
  @OptionalTimestamp('startDate')
  endDate?: Date;

  @IsOptional()
  @IsIn(['createdAt:desc', 'createdAt:asc', 'updatedAt:desc', 'updatedAt:asc'])
  sort?: string;
}
