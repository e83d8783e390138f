import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsUUID, MaxLength } from 'class-validator';
import { OptionalText } from '@app/common/dto-decorators';

export class SplitClusterRequest {
  /** Issues of this cluster that form the new cluster. */
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  issueIds!: string[];

  /** Name of the new cluster (locked); named from its issues when omitted. */
  @OptionalText()
  @MaxLength(300)
  name?: string;
}
