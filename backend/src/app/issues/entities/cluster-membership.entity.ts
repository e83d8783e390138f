import { Column, Entity } from 'typeorm';
import { SerialRow, ZendeskIdColumn } from '@app/database/columns';

export type MembershipReason = 'assigned' | 'placed' | 'auto_merge' | 'merge' | 'split' | 'move';

/** Membership history: every time an issue enters or leaves a cluster, by a run or by a PM. */
@Entity({ name: 'cluster_memberships' })
export class ClusterMembership extends SerialRow {
  @Column({ name: 'issue_id', type: 'uuid' })
  issueId!: string;

  @ZendeskIdColumn('ticket_id')
  ticketId!: number;

  @Column({ name: 'from_cluster_id', type: 'uuid', nullable: true })
  fromClusterId!: string | null;

  @Column({ name: 'to_cluster_id', type: 'uuid', nullable: true })
  toClusterId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  reason!: MembershipReason;

  @Column({ type: 'real', nullable: true })
  score!: number | null;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;
}
