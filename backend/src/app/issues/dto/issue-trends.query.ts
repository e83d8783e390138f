import { ArrayMaxSize, IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { OptionalInt, OptionalTextList } from '@app/common/dto-decorators';

export class IssueTrendsQuery {
  /** Window in days, ending now (1–365, default 30). */
  @OptionalInt()
  @Min(1)
  @Max(365)
  days?: number = 30;

  /** Bucket size: `day` or ISO `week` (Monday, UTC). */
  @IsOptional()
  @IsIn(['day', 'week'])
  interval?: 'day' | 'week' = 'day';

  /** Only these categories (comma-separated). */
  @OptionalTextList()
  @ArrayMaxSize(50)
  @MaxLength(64, { each: true })
  category?: string[];
}
