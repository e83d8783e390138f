import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { IsOmittable } from '@app/common/validators';
import { PM_STATUSES, PmStatus } from '../entities/cluster.entity';

/** A field left out keeps its value; only `owner` and `externalUrl` take null (to clear them). */
export class UpdateClusterRequest {
  @IsOmittable()
  @ApiPropertyOptional({ enum: PM_STATUSES })
  @IsIn(PM_STATUSES)
  pmStatus?: PmStatus;

  @IsOmittable()
  @IsString()
  @MaxLength(20_000)
  pmNotes?: string;

  /** A PM's name locks it: runs never rename the cluster again. */
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name?: string;

  /** Who owns it; null clears. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  owner?: string | null;

  /** A link to the tracker (Jira, Linear…); null clears. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  externalUrl?: string | null;
}
