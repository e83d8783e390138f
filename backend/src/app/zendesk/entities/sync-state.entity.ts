import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAtColumn } from '@app/database/columns';

/** Small persistent key/value state of the sync (the export cursor, the event export's start time). */
@Entity({ name: 'sync_state' })
export class SyncState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
