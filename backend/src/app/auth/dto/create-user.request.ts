import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../entities/user.entity';
import { OptionalText } from '@app/common/dto-decorators';

export class CreateUserRequest {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email!: string;

  @OptionalText()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  @IsIn(ROLES)
  role!: Role;

  /** 8–128 characters. */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}
