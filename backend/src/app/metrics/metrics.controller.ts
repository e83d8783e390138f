import { ForbiddenException, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '@app/auth/auth.constants';
import { AuthService } from '@app/auth/auth.service';
import { bearerToken } from '@app/auth/bearer-token';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { MetricsService } from './metrics.service';
import { ApiController } from '@app/common/api-controller';

@ApiController('metrics', 'metrics')
export class MetricsController {
  constructor(
    private readonly metricsService: MetricsService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Prometheus text format. Protected: the bearer must be METRICS_TOKEN (for scrapers) or an admin's token.
   */
  @Public() // authenticated below: a scraper's static token is not a JWT
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  async metrics(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = bearerToken(authorization);
    const expected = this.config.metricsToken;
    // Bytes, not characters: timingSafeEqual throws on buffers of different lengths.
    const given = Buffer.from(token);
    const isScraper =
      expected !== undefined &&
      given.length === Buffer.byteLength(expected) &&
      timingSafeEqual(given, Buffer.from(expected));
    if (!isScraper) {
      const user = await this.auth.authenticate(token);
      if (user.role !== 'admin') throw new ForbiddenException('This needs the admin role or METRICS_TOKEN');
    }
    return this.metricsService.metrics();
  }
}
