import { MaxLength } from 'class-validator';
import { PageQuery } from '@app/common/pagination';
import { OptionalText } from '@app/common/dto-decorators';

export class ListUsersQuery extends PageQuery {
  /** Matches email or name, case-insensitive. */
  @OptionalText()
  @MaxLength(200)
  search?: string;
}
