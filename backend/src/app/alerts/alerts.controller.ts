import { Get, Query } from '@nestjs/common';
import { AlertsService } from './alerts.service';
import { AlertPageResponse, AlertResponse, AlertsSummaryResponse } from './dto/alert.response';
import { ListAlertsQuery } from './dto/list-alerts.query';
import { ApiController, mapPage } from '@app/common/api-controller';

@ApiController('alerts', 'alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** Alerts raised on clusters, newest first, each with its deliveries (channel, status, tries). */
  @Get()
  async listAlerts(@Query() query: ListAlertsQuery): Promise<AlertPageResponse> {
    return mapPage(await this.alerts.list(query), AlertResponse.from);
  }

  /** How many alerts were raised in the last 7 days (the console's badge). */
  @Get('summary')
  async getAlertsSummary(): Promise<AlertsSummaryResponse> {
    return { last7d: await this.alerts.recentCount() };
  }
}
