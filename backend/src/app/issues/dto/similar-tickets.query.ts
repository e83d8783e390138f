import { Max, Min } from 'class-validator';
import { OptionalInt } from '@app/common/dto-decorators';

export class SimilarTicketsQuery {
  /** How many (1–50, default 10). */
  @OptionalInt()
  @Min(1)
  @Max(50)
  limit?: number = 10;
}
