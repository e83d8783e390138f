import { IsUUID } from 'class-validator';

export class MoveIssueRequest {
  /** The cluster the issue moves to (an active one). */
  @IsUUID()
  clusterId!: string;
}
