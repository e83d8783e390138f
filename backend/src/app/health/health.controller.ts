import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth/auth.constants';
import { HealthResponse } from './health.response';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller({ path: 'health' })
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  /** Liveness and readiness: 200 when the database answers, 503 when it does not. Public. */
  @Public()
  @Get()
  @ApiServiceUnavailableResponse({ description: 'The database is down', type: HealthResponse })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const report = await this.healthService.check();
    if (report.db !== 'up') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
