import {
  BadGatewayException,
  BadRequestException,
  Body,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { errorMessage } from '@app/common/errors';
import { BigintIdPipe } from '@app/common/param-pipes';
import { pageWindow, PageQuery } from '@app/common/pagination';
import { FeedFormatError } from './account-feed';
import type { EffectiveAccountSettings } from './account.types';
import { AccountsService, MAX_FEED_BYTES } from './accounts.service';
import {
  AccountImportResponse,
  AccountPageResponse,
  AccountRefreshResponse,
  AccountSettingsResponse,
  AccountStateResponse,
  UpdateAccountSettingsRequest,
} from './dto/account.dto';
import type { AccountRow } from './repositories/account.repository';
import { AdminRoute, ApiController, EditorRoute } from '@app/common/api-controller';

const num = (v: string | null) => (v === null ? null : Number(v));

function settingsOf(s: EffectiveAccountSettings): AccountSettingsResponse {
  let feedHost: string | null = null;
  if (s.feedUrl) feedHost = new URL(s.feedUrl).host;
  return { mapping: s.mapping, feedConfigured: Boolean(s.feedUrl), feedHost, feedCron: s.feedCron };
}

const accountOf = (r: AccountRow) => ({
  organizationId: Number(r.organization_id),
  organizationName: r.organization_name,
  plan: r.plan,
  arr: num(r.arr),
  mrr: num(r.mrr),
  seats: r.seats,
  segment: r.segment,
  renewalDate: r.renewal_date,
  owner: r.owner,
  source: r.source,
  updatedAt: new Date(r.updated_at),
});

/** Accounts: their values (plan, ARR, segment, renewal, ...), the CSV feed upload, the field mapping. */
@ApiController('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Accounts, highest ARR first. */
  @Get('accounts')
  async listAccounts(@Query() query: PageQuery): Promise<AccountPageResponse> {
    const { skip, take, page, perPage } = pageWindow(query);
    const { rows, total } = await this.accounts.page(take, skip);
    return { items: rows.map(accountOf), total, page, perPage };
  }

  /**
   * Imports a CSV account feed (editors; multipart field `file`, 20 MB at most): a header row naming the
   * organization (`organization_id`, `domain` or `name`) and values (`arr`, `mrr`, `plan`, `seats`, `segment`,
   * `renewal_date`, `owner`). Rows are matched by id, then domain, then name; changes are kept with their date.
   */
  @EditorRoute(Post('accounts/import'))
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_FEED_BYTES, files: 1 } }))
  async importAccounts(@UploadedFile() file: { buffer: Buffer } | undefined): Promise<AccountImportResponse> {
    if (!file) throw new BadRequestException('file: a CSV file is required (multipart field "file")');
    try {
      return await this.accounts.importFeed(file.buffer.toString('utf8'));
    } catch (error) {
      if (error instanceof FeedFormatError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /**
   * Reads the organization fields again through the mapping, then imports the feed URL if one is set (editors); a
   * feed that cannot be fetched or read is a 502 naming why.
   */
  @EditorRoute(Post('accounts/refresh'))
  @HttpCode(200)
  async refreshAccounts(): Promise<AccountRefreshResponse> {
    const changed = await this.accounts.refreshFromZendesk();
    try {
      return { changed, feed: await this.accounts.pollFeed() };
    } catch (error) {
      // The feed's server or its content failed, not this request.
      throw new BadGatewayException(`feedUrl: the account feed could not be read (${errorMessage(error)})`);
    }
  }

  /** Which organization fields hold ARR, plan, ... and the feed (admins). */
  @AdminRoute(Get('settings/accounts'))
  async getAccountSettings(): Promise<AccountSettingsResponse> {
    return settingsOf(await this.accounts.settings());
  }

  /** Changes the mapping or the feed URL (admins; audited); the fields are read again at once. */
  @AdminRoute(Put('settings/accounts'))
  async updateAccountSettings(
    @Body() body: UpdateAccountSettingsRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AccountSettingsResponse> {
    return settingsOf(await this.accounts.updateSettings(body, user));
  }

  /** An account's dated states, newest first (ARR at the time of a ticket vs now). */
  @Get('accounts/:organizationId/history')
  async accountHistory(@Param('organizationId', BigintIdPipe) organizationId: number): Promise<AccountStateResponse[]> {
    const rows = await this.accounts.history(organizationId);
    return rows.map((r) => ({
      validFrom: new Date(r.valid_from),
      plan: r.plan,
      arr: num(r.arr),
      segment: r.segment,
      source: r.source,
    }));
  }
}
