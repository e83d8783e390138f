import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class TriggerQuery {
  /** Re-sync tickets changed in the last N days (1–3650) instead of continuing from the saved cursor. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  backfillDays?: number;
}
