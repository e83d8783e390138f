import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsUUID } from 'class-validator';

export class MergeClustersRequest {
  /** Clusters whose issues move into this one; they are kept, marked merged into it. */
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds!: string[];
}
