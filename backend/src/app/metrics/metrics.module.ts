import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth/auth.module';
import { AppConfig } from '@app/config/app-config';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** Prometheus metrics (`/api/metrics`): runs, queue depth and process figures. Not served by worker processes. */
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig, pipeline: DynamicModule): DynamicModule {
    return {
      module: MetricsModule,
      imports: [AuthModule, pipeline],
      controllers: config.processRole === 'worker' ? [] : [MetricsController],
      providers: config.processRole === 'worker' ? [] : [MetricsRepository, MetricsService],
    };
  }
}
