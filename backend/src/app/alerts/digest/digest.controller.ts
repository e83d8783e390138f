import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DigestResponse } from './digest.response';
import { DigestService } from './digest.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts/digest')
export class DigestController {
  constructor(private readonly digest: DigestService) {}

  /** The weekly digest as it would be sent now: top, new and rising clusters, regressions. Viewers and up. */
  @Get('preview')
  previewDigest(): Promise<DigestResponse> {
    return this.digest.build();
  }
}
