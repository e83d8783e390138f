import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommaList } from './comma-list';

export class IssueTrendsQuery {
  /** Window in days, ending now (1–365, default 30). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number = 30;

  /** Bucket size: `day` or ISO `week` (Monday, UTC). */
  @IsOptional()
  @IsIn(['day', 'week'])
  interval?: 'day' | 'week' = 'day';

  /** Only these categories (comma-separated). */
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  category?: string[];
}
