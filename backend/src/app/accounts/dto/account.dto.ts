import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsOmittable } from '@app/common/validators';

const FIELD_KEY = /^[A-Za-z0-9_.-]+$/;

/** A field key (letters, digits, `_`, `.`, `-`) or null (no field holds it); left out, it stays as it is. */
const FieldKey = () =>
  applyDecorators(
    Matches(FIELD_KEY, { message: '$property must be a field key (letters, digits, _ . -)' }),
    IsString(),
    ValidateIf((_o, v) => v !== null),
    IsOmittable(),
  );

/** Zendesk organization field keys per attribute; null: no field holds it. */
export class AccountFieldMappingDto {
  plan!: string | null;
  arr!: string | null;
  mrr!: string | null;
  seats!: string | null;
  segment!: string | null;
  renewalDate!: string | null;
  owner!: string | null;
}

export class AccountSettingsResponse {
  mapping!: AccountFieldMappingDto;
  /** A feed URL is set (its address is not returned: it may carry a token). */
  feedConfigured!: boolean;
  /** The feed's host, when one is set. */
  feedHost!: string | null;
  /** When the feed is polled (ACCOUNT_FEED_CRON). */
  feedCron!: string;
}

/** A field key (letters, digits, `_`, `.`, `-`) or null. */
export class UpdateAccountFieldMappingRequest {
  @FieldKey()
  @MaxLength(200)
  plan?: string | null;

  @FieldKey()
  @MaxLength(200)
  arr?: string | null;

  @FieldKey()
  @MaxLength(200)
  mrr?: string | null;

  @FieldKey()
  @MaxLength(200)
  seats?: string | null;

  @FieldKey()
  @MaxLength(200)
  segment?: string | null;

  @FieldKey()
  @MaxLength(200)
  renewalDate?: string | null;

  @FieldKey()
  @MaxLength(200)
  owner?: string | null;
}

export class UpdateAccountSettingsRequest {
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateAccountFieldMappingRequest)
  mapping?: UpdateAccountFieldMappingRequest;

  /** The CSV feed polled nightly; null: none (not even ACCOUNT_FEED_URL). */
  @IsOmittable()
  @ValidateIf((_o, v) => v !== null)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: '$property must be an http(s) URL' },
  )
  @MaxLength(2000)
  feedUrl?: string | null;
}

export class AccountResponse {
  organizationId!: number;
  organizationName!: string;
  plan!: string | null;
  arr!: number | null;
  mrr!: number | null;
  seats!: number | null;
  segment!: string | null;
  /** `YYYY-MM-DD`. */
  renewalDate!: string | null;
  owner!: string | null;
  @ApiProperty({ enum: ['zendesk', 'feed'] })
  source!: string;
  updatedAt!: Date;
}

export class AccountPageResponse {
  items!: AccountResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}

export class FeedUnmatchedRowResponse {
  line!: number;
  reason!: string;
}

export class AccountImportResponse {
  /** Data rows read. */
  rows!: number;
  /** Rows matched to an organization (by id, then domain, then name). */
  matched!: number;
  /** Accounts whose values changed (each change is kept in the history). */
  changed!: number;
  /** The first 50 rows that matched no organization, or several. */
  unmatched!: FeedUnmatchedRowResponse[];
}

export class AccountRefreshResponse {
  /** Accounts whose values changed from the organization fields. */
  changed!: number;
  /** What the feed URL's import did; null when no feed URL is set. */
  feed!: AccountImportResponse | null;
}

/** One dated state of an account. */
export class AccountStateResponse {
  /** From this instant on the account had these values (until the next state). */
  validFrom!: Date;
  plan!: string | null;
  arr!: number | null;
  segment!: string | null;
  @ApiProperty({ enum: ['zendesk', 'feed'] })
  source!: string;
}
