import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@app/auth/auth.module';
import { IssuesModule } from '@app/issues/issues.module';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertSettingsController } from './alert-settings.controller';
import { AlertSettingsService } from './alert-settings.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { DigestController } from './digest/digest.controller';
import { DigestRepository } from './digest/digest.repository';
import { DigestScheduler } from './digest/digest.scheduler';
import { DigestService } from './digest/digest.service';
import { AlertDelivery } from './entities/alert-delivery.entity';
import { AlertSettingsRow } from './entities/alert-settings.entity';
import { Alert } from './entities/alert.entity';
import { AlertDeliveryRepository } from './repositories/alert-delivery.repository';
import { AlertSettingsRepository } from './repositories/alert-settings.repository';
import { AlertRepository } from './repositories/alert.repository';
import { ClusterSignalsRepository } from './repositories/cluster-signals.repository';

/**
 * Alerts on clusters (emerging, spike, critical, regression), evaluated at the end of every run (the pipeline calls
 * `AlertsService.evaluate`), delivered to Slack, e-mail and a signed webhook; their list and settings under `/api`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Alert, AlertDelivery, AlertSettingsRow]), AuthModule, IssuesModule],
  controllers: [AlertsController, AlertSettingsController, DigestController],
  providers: [
    AlertRepository,
    AlertDeliveryRepository,
    AlertSettingsRepository,
    ClusterSignalsRepository,
    AlertSettingsService,
    AlertDeliveryService,
    AlertsService,
    DigestRepository,
    DigestService,
    DigestScheduler,
  ],
  exports: [AlertsService, AlertSettingsService],
})
export class AlertsModule {}
