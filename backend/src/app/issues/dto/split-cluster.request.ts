import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class SplitClusterRequest {
  /** Issues of this cluster that form the new cluster. */
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  issueIds!: string[];

  /** Name of the new cluster (locked); named from its issues when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;
}
