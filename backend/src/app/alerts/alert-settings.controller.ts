import { Body, Get, Put } from '@nestjs/common';
import { Roles } from '@app/auth/auth.constants';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { AlertSettingsService } from './alert-settings.service';
import { AlertSettingsResponse } from './dto/alert-settings.response';
import { UpdateAlertSettingsRequest } from './dto/update-alert-settings.request';
import { ApiController } from '@app/common/api-controller';

@ApiController('settings', 'settings/alerts')
export class AlertSettingsController {
  constructor(private readonly settings: AlertSettingsService) {}

  /** Alert rules and channels (admins): whether each channel is configured, never its URL or secret. */
  @Get()
  @Roles('admin')
  async getAlertSettings(): Promise<AlertSettingsResponse> {
    return AlertSettingsResponse.from(await this.settings.describe());
  }

  /** Changes alert rules and channels (admins); audited without secrets. */
  @Put()
  @Roles('admin')
  async updateAlertSettings(
    @Body() body: UpdateAlertSettingsRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AlertSettingsResponse> {
    return AlertSettingsResponse.from(await this.settings.update(body, user));
  }
}
