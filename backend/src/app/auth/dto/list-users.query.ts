import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export class ListUsersQuery extends PageQuery {
  /** Matches email or name, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
