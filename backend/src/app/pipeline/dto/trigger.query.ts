import { Max, Min } from 'class-validator';
import { OptionalInt } from '@app/common/dto-decorators';

export class TriggerQuery {
  /** Re-sync tickets changed in the last N days (1–3650) instead of continuing from the saved cursor. */
  @OptionalInt()
  @Min(1)
  @Max(3650)
  backfillDays?: number;
}
