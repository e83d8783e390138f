import { Max, Min } from 'class-validator';
import { OptionalInt } from '@app/common/dto-decorators';

export class IssuesSummaryQuery {
  /** Window in days, ending now (1–365, default 30). */
  @OptionalInt()
  @Min(1)
  @Max(365)
  days?: number = 30;
}
