import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { MAX_ID } from '@app/common/validators';
import { OptionalText, OptionalTimestamp } from '@app/common/dto-decorators';

/** Which tickets to analyse again on the next run. With no filter at all: every ticket. */
export class ReanalyzeRequest {
  /** Only tickets whose last analysis ended so. */
  @IsOptional()
  @IsArray()
  @IsIn(['issues_found', 'no_product_issue', 'failed'], { each: true })
  status?: ('issues_found' | 'no_product_issue' | 'failed')[];

  /** Only tickets with an issue in this category. */
  @OptionalText()
  @MaxLength(100)
  category?: string;

  /** Tickets created at or after (ISO 8601). */
  @OptionalTimestamp()
  startDate?: Date;

  /** Tickets created before (ISO 8601; not before startDate). */
  @OptionalTimestamp('startDate')
  endDate?: Date;

  /** Explicit ticket ids (at most 10,000). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  ticketIds?: number[];
}
