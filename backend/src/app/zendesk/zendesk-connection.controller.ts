import { Get, Inject } from '@nestjs/common';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import type { ZendeskClient } from './client';
import { ZendeskConnectionResponse } from './dto/connection.response';
import { ZENDESK_CLIENT } from './zendesk.constants';
import { AdminRoute, ApiController } from '@app/common/api-controller';

@ApiController('zendesk', 'zendesk')
export class ZendeskConnectionController {
  constructor(
    @Inject(ZENDESK_CLIENT) private readonly client: ZendeskClient | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Tests the configured credentials with `GET /api/v2/users/me`. Admins. */
  @AdminRoute(Get('connection'))
  async testZendeskConnection(): Promise<ZendeskConnectionResponse> {
    const z = this.config.zendesk;
    const base: ZendeskConnectionResponse = {
      configured: Boolean(this.client),
      ok: false,
      apiUrl: z.apiUrl ?? null,
      authMethod: z.oauthToken ? 'oauth' : z.apiToken ? 'api_token' : null,
      userName: null,
      userEmail: null,
      userRole: null,
      error: null,
    };
    if (!this.client) return { ...base, error: 'Zendesk is not configured' };
    try {
      const me = await this.client.me();
      // Zendesk answers an anonymous "me" for bad credentials with id null; treat that as a failure.
      if (!me?.id) return { ...base, error: 'Zendesk did not accept the credentials' };
      return { ...base, ok: true, userName: me.name ?? null, userEmail: me.email ?? null, userRole: me.role ?? null };
    } catch (error) {
      return { ...base, error: errorMessage(error) };
    }
  }
}
