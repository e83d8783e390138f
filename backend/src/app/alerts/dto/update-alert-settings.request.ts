import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsNumber,
  IsOptional,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '@app/common/validators';
import { OmittableNested, OptionalText } from '@app/common/dto-decorators';

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const SMTP_URL = { protocols: ['smtp', 'smtps'], require_protocol: true, require_tld: false };

export class RuleToggleRequest {
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}
export class EmergingRuleRequest extends RuleToggleRequest {
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10_000)
  minIssues?: number;
}
export class SpikeRuleRequest extends RuleToggleRequest {
  @IsOmittable()
  @IsNumber()
  @Min(1)
  @Max(100)
  zThreshold?: number;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minCount?: number;
}
export class AlertRulesRequest {
  @OmittableNested(() => EmergingRuleRequest)
  emerging?: EmergingRuleRequest;

  @OmittableNested(() => SpikeRuleRequest)
  spike?: SpikeRuleRequest;

  @OmittableNested(() => RuleToggleRequest)
  critical?: RuleToggleRequest;

  @OmittableNested(() => RuleToggleRequest)
  regression?: RuleToggleRequest;
}

export class SlackChannelRequest extends RuleToggleRequest {
  /** Incoming webhook URL; null goes back to ALERT_SLACK_WEBHOOK_URL. Never returned. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(2000)
  webhookUrl?: string | null;
}
export class WebhookChannelRequest extends RuleToggleRequest {
  /** Webhook URL; null goes back to ALERT_WEBHOOK_URL. Never returned. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(2000)
  url?: string | null;

  /** HMAC-SHA256 signing secret; null goes back to ALERT_WEBHOOK_SECRET. Never returned. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @OptionalText()
  @MinLength(16)
  @MaxLength(500)
  secret?: string | null;
}
export class EmailChannelRequest extends RuleToggleRequest {
  /** `smtp://user:pass@host:port` or `smtps://…`; null goes back to SMTP_URL. Never returned. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUrl(SMTP_URL)
  @MaxLength(2000)
  smtpUrl?: string | null;

  /** Sender; null goes back to ALERT_EMAIL_FROM. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsEmail({ require_tld: false })
  from?: string | null;

  /** Recipients; null goes back to ALERT_EMAIL_TO. */
  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEmail({ require_tld: false }, { each: true })
  to?: string[] | null;
}
export class AlertChannelsRequest {
  @OmittableNested(() => SlackChannelRequest)
  slack?: SlackChannelRequest;

  @OmittableNested(() => WebhookChannelRequest)
  webhook?: WebhookChannelRequest;

  @OmittableNested(() => EmailChannelRequest)
  email?: EmailChannelRequest;
}

/** Changes alert rules and channels (admins); a field left out keeps its value. */
export class UpdateAlertSettingsRequest {
  @OmittableNested(() => AlertRulesRequest)
  rules?: AlertRulesRequest;

  @OmittableNested(() => AlertChannelsRequest)
  channels?: AlertChannelsRequest;

  /** Deliveries one channel sends per hour at most. */
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10_000)
  ratePerHour?: number;

  /** Base URL of the console in alert links; null goes back to the default (FRONTEND_URL). */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  consoleUrl?: string | null;
}
