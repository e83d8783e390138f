import { Body, Get, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { AlertSettingsService } from './alert-settings.service';
import { AlertSettingsResponse } from './dto/alert-settings.response';
import { UpdateAlertSettingsRequest } from './dto/update-alert-settings.request';
import { ApiController } from '@app/common/api-controller';

/** Alert rules and channels: admins only. */
@ApiController('settings', 'settings/alerts', 'admin')
export class AlertSettingsController {
  constructor(private readonly settings: AlertSettingsService) {}

  /** Alert rules and channels (admins): whether each channel is configured, never its URL or secret. */
  @Get()
  async getAlertSettings(): Promise<AlertSettingsResponse> {
    return AlertSettingsResponse.from(await this.settings.describe());
  }

  /** Changes alert rules and channels (admins); audited without secrets. */
  @Put()
  async updateAlertSettings(
    @Body() body: UpdateAlertSettingsRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AlertSettingsResponse> {
    return AlertSettingsResponse.from(await this.settings.update(body, user));
  }
}
