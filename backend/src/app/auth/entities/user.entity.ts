import { Column, Entity } from 'typeorm';
import { EditableUuidRow, TimestampColumn } from '@app/database/columns';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

@Entity({ name: 'users' })
export class User extends EditableUuidRow {
  /** Always stored lower-case; unique. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  name!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** Bumped when a password, role or the disabled flag changes: tokens issued before stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @TimestampColumn('last_login_at', { nullable: true })
  lastLoginAt!: Date | null;
}
