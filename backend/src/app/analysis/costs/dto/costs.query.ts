import { Max, Min } from 'class-validator';
import { OptionalInt } from '@app/common/dto-decorators';

export class AnalysisCostsQuery {
  /** Days back from now, 1–366 (default 30). */
  @OptionalInt()
  @Min(1)
  @Max(366)
  days?: number = 30;
}
