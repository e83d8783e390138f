import { Body, Get, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { AnalysisSettingsService } from './analysis-settings.service';
import { UpdateAnalysisSettingsRequest } from './dto/analysis-settings.request';
import { AnalysisSettingsResponse } from './dto/analysis-settings.response';
import { AdminRoute, ApiController } from '@app/common/api-controller';

@ApiController('settings', 'settings/analysis')
export class AnalysisSettingsController {
  constructor(private readonly settings: AnalysisSettingsService) {}

  /** The analyzer, and the mode and model the next analysis run uses (environment defaults or admin choices). */
  @Get()
  async getAnalysisSettings(): Promise<AnalysisSettingsResponse> {
    return AnalysisSettingsResponse.from(await this.settings.describe());
  }

  /** Changes the analysis mode and/or model (admins). Applies from the next analysis run on; audited. */
  @AdminRoute(Put())
  async updateAnalysisSettings(
    @Body() body: UpdateAnalysisSettingsRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AnalysisSettingsResponse> {
    await this.settings.update(body, user);
    return AnalysisSettingsResponse.from(await this.settings.describe());
  }
}
