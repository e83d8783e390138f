import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A bearer token ended by logout (its `jti`), refused until it expires; then the row is pruned. */
@Entity({ name: 'revoked_token' })
export class RevokedToken {
  @PrimaryColumn({ type: 'uuid' })
  jti!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;
}
