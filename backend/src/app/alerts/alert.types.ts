/** Alert kinds, channels and settings shapes (issue 17). */
export const ALERT_KINDS = ['emerging', 'spike', 'critical', 'regression'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_CHANNELS = ['slack', 'email', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Where a channel's address comes from: the environment, the settings (an admin), or nowhere. */
export type ChannelSource = 'env' | 'settings' | 'none';

export interface AlertRules {
  emerging: { enabled: boolean; minIssues: number };
  spike: { enabled: boolean; zThreshold: number; minCount: number };
  critical: { enabled: boolean };
  regression: { enabled: boolean };
}

export const DEFAULT_RULES: AlertRules = {
  emerging: { enabled: true, minIssues: 5 },
  spike: { enabled: true, zThreshold: 4, minCount: 3 },
  critical: { enabled: true },
  regression: { enabled: true },
};

/** Deliveries one channel may send per hour; more wait for the next evaluation. */
export const DEFAULT_RATE_PER_HOUR = 30;

/** The settings with secrets resolved (server side only: never returned by the API, never logged). */
export interface EffectiveAlertSettings {
  rules: AlertRules;
  channels: {
    slack: { enabled: boolean; webhookUrl?: string; source: ChannelSource };
    webhook: { enabled: boolean; url?: string; secret?: string; source: ChannelSource };
    email: { enabled: boolean; smtpUrl?: string; from?: string; to: string[]; source: ChannelSource };
  };
  ratePerHour: number;
  /** Base URL of the console, for links in messages. */
  consoleUrl: string;
}

/** What the API shows of the settings: whether each channel is configured, never its address or secret. */
export interface AlertSettingsView {
  rules: AlertRules;
  channels: {
    slack: { enabled: boolean; configured: boolean; source: ChannelSource };
    webhook: { enabled: boolean; configured: boolean; secretConfigured: boolean; source: ChannelSource };
    email: { enabled: boolean; configured: boolean; from: string | null; to: string[]; source: ChannelSource };
  };
  ratePerHour: number;
  consoleUrl: string;
}

/**
 * A change of the settings (admins): a field left out keeps its value; `null` on an address or secret removes the
 * override (back to the environment).
 */
export interface AlertSettingsChange {
  rules?: {
    emerging?: { enabled?: boolean; minIssues?: number };
    spike?: { enabled?: boolean; zThreshold?: number; minCount?: number };
    critical?: { enabled?: boolean };
    regression?: { enabled?: boolean };
  };
  channels?: {
    slack?: { enabled?: boolean; webhookUrl?: string | null };
    webhook?: { enabled?: boolean; url?: string | null; secret?: string | null };
    email?: { enabled?: boolean; smtpUrl?: string | null; from?: string | null; to?: string[] | null };
  };
  ratePerHour?: number;
  consoleUrl?: string | null;
}

/** The stored settings: overrides only; addresses and secrets sealed (AES-256-GCM, see `secret-box.ts`). */
export interface StoredAlertSettings {
  rules?: Partial<{ [K in keyof AlertRules]: Partial<AlertRules[K]> }>;
  channels?: {
    slack?: { enabled?: boolean; webhookUrl?: string };
    webhook?: { enabled?: boolean; url?: string; secret?: string };
    email?: { enabled?: boolean; smtpUrl?: string; from?: string; to?: string[] };
  };
  ratePerHour?: number;
  consoleUrl?: string;
}
