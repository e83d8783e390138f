import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '@app/common/validators';
import { Role, ROLES } from '../entities/user.entity';

/** A field left out keeps its value; none takes null. */
export class UpdateUserRequest {
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role' })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @IsOmittable()
  @IsBoolean()
  disabled?: boolean;

  /** Sets a new password (8–128 characters); the user's existing tokens stop working. */
  @IsOmittable()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;
}
