import { IsString, MaxLength, MinLength } from 'class-validator';

export class ChangePasswordRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword!: string;

  /** 8–128 characters. */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  newPassword!: string;
}
