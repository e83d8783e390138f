import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn } from '@app/database/columns';

/** A bearer token ended by logout (its `jti`), refused until it expires; then the row is pruned. */
@Entity({ name: 'revoked_token' })
export class RevokedToken {
  @PrimaryColumn({ type: 'uuid' })
  jti!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @CreatedAtColumn('revoked_at')
  revokedAt!: Date;
}
