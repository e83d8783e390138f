import { ApiProperty } from '@nestjs/swagger';
import type { AlertSettingsView, ChannelSource } from '../alert.types';

const SOURCE = { enum: ['env', 'settings', 'none'], enumName: 'AlertChannelSource' };

export class RuleStateResponse {
  enabled!: boolean;
}
export class EmergingRuleResponse extends RuleStateResponse {
  /** Fewest issues of a cluster first seen in the last 7 days. */
  minIssues!: number;
}
export class SpikeRuleResponse extends RuleStateResponse {
  /** Robust z-score (median/MAD over the cluster's last 28 days) at or above which a day is a spike. */
  zThreshold!: number;
  /** Fewest tickets in the last 24 hours for a spike at all. */
  minCount!: number;
}
export class AlertRulesResponse {
  emerging!: EmergingRuleResponse;
  spike!: SpikeRuleResponse;
  critical!: RuleStateResponse;
  regression!: RuleStateResponse;
}

export class SlackChannelResponse {
  enabled!: boolean;
  /** A webhook URL is set (it is never returned). */
  configured!: boolean;
  @ApiProperty(SOURCE)
  source!: ChannelSource;
}
export class WebhookChannelResponse {
  enabled!: boolean;
  /** A URL is set (it is never returned). */
  configured!: boolean;
  /** A signing secret is set (it is never returned). */
  secretConfigured!: boolean;
  @ApiProperty(SOURCE)
  source!: ChannelSource;
}
export class EmailChannelResponse {
  enabled!: boolean;
  /** An SMTP server, a sender and recipients are set (the SMTP URL is never returned). */
  configured!: boolean;
  from!: string | null;
  to!: string[];
  @ApiProperty(SOURCE)
  source!: ChannelSource;
}
export class AlertChannelsResponse {
  slack!: SlackChannelResponse;
  webhook!: WebhookChannelResponse;
  email!: EmailChannelResponse;
}

export class AlertSettingsResponse {
  rules!: AlertRulesResponse;
  channels!: AlertChannelsResponse;
  /** Deliveries one channel sends per hour at most; more wait for a later evaluation. */
  ratePerHour!: number;
  /** Base URL of the console in alert links. */
  consoleUrl!: string;

  static from(view: AlertSettingsView): AlertSettingsResponse {
    return Object.assign(new AlertSettingsResponse(), structuredClone(view));
  }
}
