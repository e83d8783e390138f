import { ApiProperty } from '@nestjs/swagger';
import { Role, ROLES, User } from '../entities/user.entity';
import { pick } from '@app/common/pick';

export class UserResponse {
  id!: string;
  email!: string;
  name!: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role!: Role;
  disabled!: boolean;
  /** When the user last signed in; null if never. */
  lastLoginAt!: Date | null;
  createdAt!: Date;

  static from(user: User): UserResponse {
    return Object.assign(new UserResponse(), {
      ...pick(user, ['id', 'email', 'name', 'role', 'disabled']),
      lastLoginAt: user.lastLoginAt ?? null,
      createdAt: user.createdAt,
    });
  }
}

export class UserPageResponse {
  items!: UserResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}
