import { Get } from '@nestjs/common';
import { DigestResponse } from './digest.response';
import { DigestService } from './digest.service';
import { ApiController } from '@app/common/api-controller';

@ApiController('alerts', 'alerts/digest')
export class DigestController {
  constructor(private readonly digest: DigestService) {}

  /** The weekly digest as it would be sent now: top, new and rising clusters, regressions. Viewers and up. */
  @Get('preview')
  previewDigest(): Promise<DigestResponse> {
    return this.digest.build();
  }
}
